import type { Deadline } from "./deadline.js";

/**
 * Wraps a streamed response body so that a read error surfaces as `mapError(error)` (or as the
 * deadline's abort error), and the deadline timer stops when the body ends, fails or is
 * cancelled.
 */
export function guardResponseStream(
  body: ReadableStream<Uint8Array>,
  deadline: Deadline,
  mapError: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          deadline.clear();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        const mapped = deadline.abortError() ?? mapError(error);
        deadline.clear();
        controller.error(mapped);
      }
    },
    async cancel(reason) {
      deadline.clear();
      await reader.cancel(reason);
    },
  });
}
