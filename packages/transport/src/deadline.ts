import { TimeoutError } from "@proton/errors";

export interface DeadlineOptions {
  /** The deadline in milliseconds; `undefined`, 0 or `Infinity` means none. */
  timeoutMs?: number | undefined;
  /** The caller's signal. Its abort passes through with the caller's reason. */
  signal?: AbortSignal | undefined;
  /** The request, kept (redacted) on the `TimeoutError`. */
  request?: { method: string; url: string } | undefined;
}

/** The abort of one request: by the caller's signal or by the deadline, whichever is first. */
export interface Deadline {
  /** Whether the request was aborted, by the caller or by the deadline. */
  readonly aborted: boolean;
  /** Whether the deadline, not the caller, aborted the request. */
  readonly timedOut: boolean;
  /**
   * An `AbortSignal` that aborts with the request, created on first access. Transports that can
   * take a cheaper abort source use `onAbort` instead, because following an `AbortSignal` costs
   * several microseconds per request in undici.
   */
  readonly signal: AbortSignal;
  /** Calls `listener` once when the request is aborted. */
  onAbort(listener: () => void): void;
  /**
   * Returns the error a transport should throw: the caller's abort reason when the caller
   * aborted, a `TimeoutError` when the deadline passed, otherwise `undefined`.
   */
  abortError(): unknown;
  /** Stops the timer and the caller-signal listener. Call it once the body has been read. */
  clear(): void;
}

/**
 * Composes a request deadline with the caller's `AbortSignal`. When the deadline passes, the
 * request aborts with a `TimeoutError` (phase "total"). Throws a `RangeError` for a negative or
 * non-numeric deadline.
 */
export function createDeadline(options: DeadlineOptions): Deadline {
  const { timeoutMs, signal: callerSignal } = options;
  if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !(timeoutMs >= 0))) {
    throw new RangeError(
      `timeoutMs must be a number of milliseconds >= 0, got ${String(timeoutMs)}.`,
    );
  }

  let aborted = false;
  let timedOut = false;
  let reason: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  const listeners: (() => void)[] = [];

  const abort = (abortReason: unknown): void => {
    if (aborted) {
      return;
    }
    aborted = true;
    reason = abortReason;
    controller?.abort(abortReason);
    for (const listener of listeners.splice(0)) {
      listener();
    }
  };
  const onCallerAbort = (): void => {
    abort(callerSignal?.reason);
  };

  if (callerSignal !== undefined) {
    if (callerSignal.aborted) {
      abort(callerSignal.reason);
    } else {
      callerSignal.addEventListener("abort", onCallerAbort, { once: true });
    }
  }

  if (timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs) && !aborted) {
    timer = setTimeout(() => {
      timedOut = true;
      abort(
        new TimeoutError(`The request timed out after ${timeoutMs} ms.`, {
          timeoutMs,
          phase: "total",
          request: options.request,
        }),
      );
    }, timeoutMs);
  }

  return {
    get aborted() {
      return aborted;
    },
    get timedOut() {
      return timedOut;
    },
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        if (aborted) {
          controller.abort(reason);
        }
      }
      return controller.signal;
    },
    onAbort(listener: () => void): void {
      if (aborted) {
        listener();
      } else {
        listeners.push(listener);
      }
    },
    abortError(): unknown {
      return aborted ? reason : undefined;
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
