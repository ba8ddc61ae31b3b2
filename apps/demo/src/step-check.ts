/** A demo step got a result other than the one it expects. */
export class StepCheckError extends Error {
  override readonly name = "StepCheckError";
}

/** Throws `StepCheckError` with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new StepCheckError(message);
  }
}
