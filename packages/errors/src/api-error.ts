import { ProtonError, type ProtonErrorOptions } from "./proton-error.js";
import { redactHeaders } from "./redact.js";
import { describeRequest, type RequestInfo } from "./request-info.js";

export interface ApiErrorOptions extends ProtonErrorOptions {
  /** HTTP status of the response. */
  status: number;
  /** Body `Code`, when the body was a JSON object that had one. */
  code?: number | undefined;
  /** The server's `Error` message, shown to users as the server wrote it. */
  serverMessage?: string | undefined;
  /** The body `Details` object, when present. */
  details?: Readonly<Record<string, unknown>> | undefined;
  /** Response headers, in lower case. Credential headers are redacted on construction. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Delay from `Retry-After`, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** The request; its URL is redacted on construction. */
  request?: { method: string; url: string } | undefined;
}

/** Statuses for which the same request may succeed if sent again after a wait. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

/** Any non-success response of the API: a 4xx/5xx status, or a body `Code` other than 1000/1001. */
export class ApiError extends ProtonError {
  static override readonly brand: string = "ApiError";

  readonly status: number;
  readonly code: number | undefined;
  readonly serverMessage: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly retryAfterMs: number | undefined;
  readonly request: RequestInfo | undefined;

  constructor(message: string, options: ApiErrorOptions) {
    super(message, options);
    this.status = options.status;
    this.code = options.code;
    this.serverMessage = options.serverMessage;
    this.details = options.details ?? {};
    this.headers = redactHeaders(options.headers ?? {});
    this.retryAfterMs = options.retryAfterMs;
    this.request =
      options.request === undefined
        ? undefined
        : describeRequest(options.request.method, options.request.url);
  }

  /**
   * Whether sending the same request again after `retryAfterMs` may succeed: HTTP 408, 429,
   * 502, 503 and 504. Login throttling (2011, 2028) is not retryable here because repeating a
   * login attempt extends the throttle.
   */
  get isRetryable(): boolean {
    return RETRYABLE_STATUSES.has(this.status) && !isLoginThrottle(this.code);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      code: this.code,
      serverMessage: this.serverMessage,
      details: this.details,
      retryAfterMs: this.retryAfterMs,
      isRetryable: this.isRetryable,
      request: this.request,
    };
  }
}

function isLoginThrottle(code: number | undefined): boolean {
  return code === 2011 || code === 2028;
}

/** Code 8002: a wrong password at login, or a wrong or stale second-factor code. */
export class InvalidCredentialsError extends ApiError {
  static override readonly brand: string = "InvalidCredentialsError";
}

/** Code 6003: the username is invalid. */
export class InvalidUsernameError extends ApiError {
  static override readonly brand: string = "InvalidUsernameError";
}

/** The details a user interface needs to let a person solve a human verification. */
export interface HumanVerificationDetails {
  /** Token to open the verification page with; not a credential of the session. */
  readonly token: string;
  /** Methods the server accepts, such as `captcha`, `email` or `sms`. */
  readonly methods: readonly string[];
  /** Page where a person solves the verification, when the server sent one. */
  readonly webUrl: string | undefined;
  /** Expiry as a Unix time in seconds, when the server sent one. */
  readonly expiresAt: number | undefined;
}

/**
 * Code 9001: the server wants a person to solve a verification before it accepts the request.
 * Solve it at `verification.webUrl`, then send the same request again with the solved token and
 * its method.
 *
 * The verification token is readable as `verification.token` and
 * `details.HumanVerificationToken`, but both properties are non-enumerable, so `toJSON()`,
 * `util.inspect` and `console.error` leave the token out.
 */
export class HumanVerificationRequiredError extends ApiError {
  static override readonly brand: string = "HumanVerificationRequiredError";

  readonly verification: HumanVerificationDetails;

  constructor(message: string, options: ApiErrorOptions) {
    super(message, { ...options, details: hideVerificationToken(options.details) });
    this.verification = readVerification(this.details);
  }

  override toJSON(): Record<string, unknown> {
    const { token: _token, ...rest } = this.verification;
    return { ...super.toJSON(), details: undefined, verification: rest };
  }
}

function readVerification(details: Readonly<Record<string, unknown>>): HumanVerificationDetails {
  const token = details["HumanVerificationToken"];
  const methods = details["HumanVerificationMethods"];
  const webUrl = details["WebUrl"];
  const expiresAt = details["ExpiresAt"];
  const visible: Omit<HumanVerificationDetails, "token"> = {
    methods: Array.isArray(methods)
      ? methods.filter((m): m is string => typeof m === "string")
      : [],
    webUrl: typeof webUrl === "string" ? webUrl : undefined,
    expiresAt: typeof expiresAt === "number" ? expiresAt : undefined,
  };
  return Object.defineProperty(visible, "token", {
    value: typeof token === "string" ? token : "",
    enumerable: false,
  }) as HumanVerificationDetails;
}

/** Returns a copy of `details` whose `HumanVerificationToken` is non-enumerable. */
function hideVerificationToken(
  details: Readonly<Record<string, unknown>> | undefined,
): Readonly<Record<string, unknown>> | undefined {
  if (details === undefined || !Object.hasOwn(details, "HumanVerificationToken")) {
    return details;
  }
  const { HumanVerificationToken: token, ...rest } = details;
  Object.defineProperty(rest, "HumanVerificationToken", { value: token, enumerable: false });
  return rest;
}

/** Code 12087: the solved human-verification token was rejected. Solve a new verification. */
export class InvalidVerificationTokenError extends ApiError {
  static override readonly brand: string = "InvalidVerificationTokenError";
}

/**
 * The session is over and the user must log in again: code 10013 (invalid refresh token), or a
 * refresh that failed for good.
 */
export class SessionExpiredError extends ApiError {
  static override readonly brand: string = "SessionExpiredError";
}

/** HTTP 403: the session lacks the scope for this request (for example before 2FA completes). */
export class MissingScopeError extends ApiError {
  static override readonly brand: string = "MissingScopeError";
}

/** HTTP 429, or codes 2011/2028 (login throttled). Wait `retryAfterMs` before trying again. */
export class RateLimitError extends ApiError {
  static override readonly brand: string = "RateLimitError";

  /** Whether this is login throttling (2011, 2028), which must not be retried automatically. */
  get isLoginThrottle(): boolean {
    return isLoginThrottle(this.code);
  }
}

/** Codes 5001 (missing) and 5003 (outdated): the `x-pm-appversion` header was rejected. */
export class AppVersionError extends ApiError {
  static override readonly brand: string = "AppVersionError";

  get reason(): "missing" | "outdated" {
    return this.code === 5001 ? "missing" : "outdated";
  }
}

/** Codes 10002 (deleted) and 10003 (disabled): the account cannot be used. */
export class AccountUnavailableError extends ApiError {
  static override readonly brand: string = "AccountUnavailableError";

  get reason(): "deleted" | "disabled" {
    return this.code === 10002 ? "deleted" : "disabled";
  }
}
