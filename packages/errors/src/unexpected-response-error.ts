import { ProtonError, type ProtonErrorOptions } from "./proton-error.js";
import { describeRequest, type RequestInfo } from "./request-info.js";

export interface UnexpectedResponseErrorOptions extends ProtonErrorOptions {
  status: number;
  /** The `Content-Type` of the response, when it had one. */
  contentType?: string | undefined;
  /** The first characters of the body, for diagnosis; at most 200 characters are kept. */
  bodySnippet?: string | undefined;
  /** Delay from the response's `Retry-After` header, in milliseconds. */
  retryAfterMs?: number | undefined;
  request?: { method: string; url: string } | undefined;
}

const MAX_SNIPPET_LENGTH = 200;

/**
 * The server responded with something that is not the expected JSON object: an HTML
 * maintenance page, truncated or malformed JSON, JSON that is not an object, or a body too
 * large to buffer.
 */
export class UnexpectedResponseError extends ProtonError {
  static override readonly brand: string = "UnexpectedResponseError";

  readonly status: number;
  readonly contentType: string | undefined;
  readonly bodySnippet: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly request: RequestInfo | undefined;

  constructor(message: string, options: UnexpectedResponseErrorOptions) {
    super(message, options);
    this.status = options.status;
    this.contentType = options.contentType;
    this.bodySnippet = options.bodySnippet?.slice(0, MAX_SNIPPET_LENGTH);
    this.retryAfterMs = options.retryAfterMs;
    this.request =
      options.request === undefined
        ? undefined
        : describeRequest(options.request.method, options.request.url);
  }

  /** Whether the same request may succeed later: true for 5xx statuses such as a 503 page. */
  get isRetryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      contentType: this.contentType,
      retryAfterMs: this.retryAfterMs,
      request: this.request,
    };
  }
}
