import { TimeoutError } from "@proton/errors";

export interface DeadlineOptions {
  /** The deadline in milliseconds; `undefined`, 0 or `Infinity` means none. */
  timeoutMs?: number | undefined;
  /** The caller's signal. Its abort passes through with the caller's reason. */
  signal?: AbortSignal | undefined;
  /** The request, kept (redacted) on the `TimeoutError`. */
  request?: { method: string; url: string } | undefined;
}

/** A signal that aborts on the caller's abort or when the deadline passes, whichever is first. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Whether the deadline, not the caller, aborted the signal. */
  readonly timedOut: boolean;
  /**
   * Returns the error a transport should throw for `error`: the caller's abort reason when the
   * caller aborted, a `TimeoutError` when the deadline passed, otherwise `undefined`.
   */
  abortError(): unknown;
  /** Stops the timer. Call it once the response body has been read. */
  clear(): void;
}

/**
 * Composes a request deadline with the caller's `AbortSignal`. When the deadline passes, the
 * signal aborts with a `TimeoutError` (phase "total"). Throws a `RangeError` for a negative or
 * non-numeric deadline.
 */
export function createDeadline(options: DeadlineOptions): Deadline {
  const { timeoutMs, signal: callerSignal } = options;
  if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !(timeoutMs >= 0))) {
    throw new RangeError(
      `timeoutMs must be a number of milliseconds >= 0, got ${String(timeoutMs)}.`,
    );
  }

  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const onCallerAbort = (): void => {
    controller.abort(callerSignal?.reason);
  };
  if (callerSignal !== undefined) {
    if (callerSignal.aborted) {
      controller.abort(callerSignal.reason);
    } else {
      callerSignal.addEventListener("abort", onCallerAbort, { once: true });
    }
  }

  if (
    timeoutMs !== undefined &&
    timeoutMs > 0 &&
    Number.isFinite(timeoutMs) &&
    !controller.signal.aborted
  ) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(
        new TimeoutError(`The request timed out after ${timeoutMs} ms.`, {
          timeoutMs,
          phase: "total",
          request: options.request,
        }),
      );
    }, timeoutMs);
  }

  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    abortError(): unknown {
      if (callerSignal?.aborted === true && !timedOut) {
        return callerSignal.reason;
      }
      if (timedOut) {
        return controller.signal.reason;
      }
      return undefined;
    },
    clear(): void {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
}
