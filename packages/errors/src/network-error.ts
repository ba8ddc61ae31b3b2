import { ProtonError, type ProtonErrorOptions } from "./proton-error.js";
import { describeRequest, type RequestInfo } from "./request-info.js";

export interface TransportErrorOptions extends ProtonErrorOptions {
  /** The request; its URL is redacted on construction. */
  request?: { method: string; url: string } | undefined;
}

/**
 * The request did not get an HTTP response: DNS failure, connection refused or reset, TLS
 * failure other than a pin mismatch. The original error is the `cause`. Retrying later may work.
 */
export class NetworkError extends ProtonError {
  static override readonly brand: string = "NetworkError";

  readonly request: RequestInfo | undefined;

  constructor(message: string, options: TransportErrorOptions = {}) {
    super(message, options);
    this.request =
      options.request === undefined
        ? undefined
        : describeRequest(options.request.method, options.request.url);
  }

  /** The system error code of the cause, such as `ECONNREFUSED`, when it has one. */
  get errorCode(): string | undefined {
    const code = (this.cause as { code?: unknown } | undefined)?.code;
    return typeof code === "string" ? code : undefined;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), errorCode: this.errorCode, request: this.request };
  }
}

/** The deadline that ran out. */
export type TimeoutPhase = "connect" | "response" | "total";

export interface TimeoutErrorOptions extends TransportErrorOptions {
  /** The deadline that ran out, in milliseconds. */
  timeoutMs: number;
  phase?: TimeoutPhase | undefined;
}

/** The request ran past its deadline. The server may still have processed it. */
export class TimeoutError extends NetworkError {
  static override readonly brand: string = "TimeoutError";

  readonly timeoutMs: number;
  readonly phase: TimeoutPhase;

  constructor(message: string, options: TimeoutErrorOptions) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
    this.phase = options.phase ?? "total";
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs, phase: this.phase };
  }
}
