import { ProtonError } from "@proton/errors";

/** Describes an error for a log entry. `@proton/errors` messages contain no secret. */
export function describeError(error: unknown): Record<string, unknown> {
  if (ProtonError.isInstance(error)) {
    return error.toJSON();
  }
  if (error instanceof Error) {
    return { name: error.name, message: error.message };
  }
  return { value: String(error) };
}
