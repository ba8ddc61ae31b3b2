/**
 * Returns headers with lower-case names, joining repeated headers with ", " as the
 * `TransportResponse` contract requires.
 */
export function normalizeHeaders(
  entries: Iterable<readonly [string, string | readonly string[] | undefined]>,
): Record<string, string> {
  const headers: Record<string, string> = {};

  for (const [name, value] of entries) {
    if (value === undefined) {
      continue;
    }
    const key = name.toLowerCase();
    const text = typeof value === "string" ? value : value.join(", ");
    const previous = headers[key];
    headers[key] = previous === undefined ? text : `${previous}, ${text}`;
  }
  return headers;
}
