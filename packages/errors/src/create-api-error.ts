import {
  AccountUnavailableError,
  ApiError,
  type ApiErrorOptions,
  AppVersionError,
  HumanVerificationRequiredError,
  InvalidCredentialsError,
  InvalidUsernameError,
  InvalidVerificationTokenError,
  MissingScopeError,
  RateLimitError,
  SessionExpiredError,
} from "./api-error.js";
import { API_CODES } from "./codes.js";
import { parseRetryAfter } from "./retry-after.js";

type HeaderSource =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { forEach(callback: (value: string, name: string) => void): void };

export interface ApiResponseInfo {
  status: number;
  /** Response headers, as a plain object or a `Headers` instance. */
  headers?: HeaderSource | undefined;
  /** The parsed JSON body. Anything that is not an object is treated as a body without fields. */
  body?: unknown;
  request?: { method: string; url: string } | undefined;
  /** Current time in milliseconds, used to read a `Retry-After` date. */
  now?: number | undefined;
}

type ApiErrorClass = new (message: string, options: ApiErrorOptions) => ApiError;

/** Classes and advice chosen by body `Code`, which the API sends with various HTTP statuses. */
const BY_CODE: ReadonlyMap<number, { type: ApiErrorClass; advice: string }> = new Map([
  [
    API_CODES.INCORRECT_CREDENTIALS,
    { type: InvalidCredentialsError, advice: "Check the password or second-factor code." },
  ],
  [API_CODES.INVALID_USERNAME, { type: InvalidUsernameError, advice: "Check the username." }],
  [
    API_CODES.HUMAN_VERIFICATION_REQUIRED,
    {
      type: HumanVerificationRequiredError,
      advice: "Solve the verification in a browser, then retry with the solved token.",
    },
  ],
  [
    API_CODES.INVALID_VERIFICATION_TOKEN,
    {
      type: InvalidVerificationTokenError,
      advice: "Solve a new verification; the solved token was rejected.",
    },
  ],
  [API_CODES.INVALID_REFRESH_TOKEN, { type: SessionExpiredError, advice: "Log in again." }],
  [
    API_CODES.LOGIN_THROTTLED,
    { type: RateLimitError, advice: "Wait before the next login attempt." },
  ],
  [
    API_CODES.LOGIN_ATTEMPTS_THROTTLED,
    { type: RateLimitError, advice: "Wait before the next login attempt." },
  ],
  [
    API_CODES.APP_VERSION_MISSING,
    { type: AppVersionError, advice: "Send an x-pm-appversion header such as 'Other'." },
  ],
  [
    API_CODES.APP_VERSION_OUTDATED,
    { type: AppVersionError, advice: "Update the client and its x-pm-appversion header." },
  ],
  [
    API_CODES.ACCOUNT_DELETED,
    { type: AccountUnavailableError, advice: "The account was deleted." },
  ],
  [
    API_CODES.ACCOUNT_DISABLED,
    { type: AccountUnavailableError, advice: "Contact Proton support to re-enable it." },
  ],
]);

/** Classes chosen by HTTP status when the body `Code` is not in `BY_CODE`. */
const BY_STATUS: ReadonlyMap<number, { type: ApiErrorClass; advice: string }> = new Map([
  [403, { type: MissingScopeError, advice: "The session lacks the scope for this request." }],
  [429, { type: RateLimitError, advice: "Too many requests." }],
]);

/**
 * Maps an API response to the most specific `ApiError` subclass. The body `Code` decides first
 * (10013 arrives as HTTP 400 and as 422, 8002 as 422), the HTTP status second, and a plain
 * `ApiError` is the fallback.
 */
export function createApiError(info: ApiResponseInfo): ApiError {
  const headers = normalizeHeaders(info.headers);
  const body = isRecord(info.body) ? info.body : {};
  const code = typeof body["Code"] === "number" ? body["Code"] : undefined;
  const serverMessage = typeof body["Error"] === "string" ? body["Error"] : undefined;
  const details = isRecord(body["Details"]) ? body["Details"] : undefined;
  const retryAfterMs = parseRetryAfter(headers["retry-after"], info.now);

  const match = (code === undefined ? undefined : BY_CODE.get(code)) ?? BY_STATUS.get(info.status);
  const type = match?.type ?? ApiError;
  const message = buildMessage(info, code, serverMessage, retryAfterMs, match?.advice);

  return new type(message, {
    status: info.status,
    code,
    serverMessage,
    details,
    headers,
    retryAfterMs,
    request: info.request,
  });
}

function buildMessage(
  info: ApiResponseInfo,
  code: number | undefined,
  serverMessage: string | undefined,
  retryAfterMs: number | undefined,
  advice: string | undefined,
): string {
  const where = info.request === undefined ? "" : ` for ${info.request.method.toUpperCase()}`;
  const codeText = code === undefined ? "" : `, code ${code}`;
  const text = trimTrailingPeriods(serverMessage ?? "");
  const parts = [
    `${text === "" ? "Request failed" : text} (HTTP ${info.status}${codeText}${where})`,
  ];

  if (advice !== undefined) {
    parts.push(advice);
  }
  if (retryAfterMs !== undefined) {
    parts.push(`Retry after ${Math.ceil(retryAfterMs / 1000)} s.`);
  }
  return parts.join(". ").replace(/\.\. /g, ". ");
}

/**
 * Returns `text` without trailing periods and white space, so a server message such as
 * "Invalid input." reads "Invalid input (HTTP 422, ...)". A loop instead of a regular expression
 * keeps the run time linear for any server text.
 */
function trimTrailingPeriods(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === "." || /\s/.test(text[end - 1] ?? ""))) {
    end--;
  }
  return text.slice(0, end);
}

function normalizeHeaders(source: HeaderSource | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (source === undefined) {
    return headers;
  }
  if (typeof source.forEach === "function" && !isPlainObject(source)) {
    (source as { forEach(callback: (value: string, name: string) => void): void }).forEach(
      (value, name) => {
        headers[name.toLowerCase()] = value;
      },
    );
    return headers;
  }
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === "string") {
      headers[name.toLowerCase()] = value;
    } else if (Array.isArray(value)) {
      headers[name.toLowerCase()] = value.join(", ");
    }
  }
  return headers;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
