/** API error codes the fake API sends, with the statuses the live API pairs them with. */
export const CODES = {
  SUCCESS: 1000,
  INVALID_VALUE: 2001,
  LOGIN_ATTEMPTS_THROTTLED: 2028,
  APP_VERSION_MISSING: 5001,
  APP_VERSION_OUTDATED: 5003,
  INCORRECT_CREDENTIALS: 8002,
  HUMAN_VERIFICATION_REQUIRED: 9001,
  INVALID_REFRESH_TOKEN: 10013,
  INVALID_VERIFICATION_TOKEN: 12087,
} as const;

/**
 * An error response `{"Code","Error","Details"}` that a handler throws. The server sends it
 * with `status` and `headers`.
 */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: number,
    message: string,
    options: { details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiFailure";
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  /** Returns the JSON body the live API sends for this error. */
  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { Code: this.code, Error: this.message };
    if (this.details !== undefined) {
      body["Details"] = this.details;
    }
    return body;
  }
}
