/** Returns the median of `values`, which must not be empty. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Returns the nearest-rank percentile `p` (0 to 100) of `values`, which must not be empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new RangeError("Cannot take a percentile of no values.");
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Formats the range of `values` as `min–max`. */
export function range(values: readonly number[], digits = 0): string {
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}

/** Median over runs of the per-run ratio `subject / baseline`, so drift between runs cancels. */
export function pairedRatio(subject: readonly number[], baseline: readonly number[]): number {
  return median(subject.map((value, index) => value / (baseline[index] as number)));
}
