import {
  type ApiError,
  createApiError,
  parseRetryAfter,
  UnexpectedResponseError,
} from "@proton/errors";
import type { TransportResponse } from "@proton/transport";

/** The JSON body of a successful API response. */
export interface ApiResponseBody {
  /** 1000 for success, 1001 for a multi-response whose items carry their own codes. */
  Code: number;
  [field: string]: unknown;
}

/** The request a response belongs to, as errors record it (the URL is redacted there). */
export interface RequestDescription {
  readonly method: string;
  readonly url: string;
}

const SUCCESS_CODES: ReadonlySet<number> = new Set([1000, 1001]);

/** Parses the body as JSON; `undefined` when it is empty or not JSON. */
export function tryParseJson(body: Uint8Array): unknown {
  if (body.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}

/** Returns the body `Code` of a parsed body, when it is an object with a numeric `Code`. */
export function readBodyCode(body: unknown): number | undefined {
  if (!isRecord(body)) {
    return undefined;
  }
  const code = body["Code"];
  return typeof code === "number" ? code : undefined;
}

/**
 * Returns the body of a successful response: HTTP 2xx with a JSON object whose `Code` is 1000 or
 * 1001. Throws the mapped `ApiError` for any other code, and `UnexpectedResponseError` for a
 * body that is not a JSON object with a `Code`.
 */
export function readSuccessBody(
  response: TransportResponse,
  request: RequestDescription,
): ApiResponseBody {
  const body = tryParseJson(response.body);
  const code = readBodyCode(body);

  if (response.status >= 200 && response.status < 300 && code !== undefined) {
    if (SUCCESS_CODES.has(code)) {
      return body as ApiResponseBody;
    }
    throw createApiError({ status: response.status, headers: response.headers, body, request });
  }
  if (response.status >= 200 && response.status < 300) {
    throw unexpected(response, request, isRecord(body) ? "has no Code" : "is not a JSON object");
  }
  throw createResponseError(response, request, body);
}

/**
 * Builds the error for a response that is not a success. A JSON object body or an empty body
 * becomes the `ApiError` subclass that its code or status maps to. Any other body, such as an
 * HTML maintenance page or truncated JSON, becomes an `UnexpectedResponseError`.
 */
export function createResponseError(
  response: TransportResponse,
  request: RequestDescription,
  body: unknown = tryParseJson(response.body),
): ApiError | UnexpectedResponseError {
  if (isRecord(body) || response.body.length === 0) {
    return createApiError({ status: response.status, headers: response.headers, body, request });
  }
  return unexpected(response, request, "is not a JSON object");
}

function unexpected(
  response: TransportResponse,
  request: RequestDescription,
  problem: string,
): UnexpectedResponseError {
  const contentType = response.headers["content-type"];
  // A successful or JSON body may contain tokens (a truncated login reply does), so only the
  // start of an error page in another format, such as HTML, is kept for diagnosis.
  const isErrorPage =
    (response.status < 200 || response.status >= 300) &&
    !(contentType ?? "").toLowerCase().includes("json");
  return new UnexpectedResponseError(
    `Unexpected response to ${request.method.toUpperCase()} ${requestPath(request.url)}: HTTP ${response.status} with a body that ${problem}${contentType === undefined ? "" : ` (content type ${contentType})`}. The API or a proxy in front of it returned something else than the API's JSON; retry later.`,
    {
      status: response.status,
      contentType,
      bodySnippet: isErrorPage
        ? new TextDecoder().decode(response.body.subarray(0, 200))
        : undefined,
      retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
      request,
    },
  );
}

/** Returns the path of a request URL, without the query, which may carry secrets. */
function requestPath(url: string): string {
  return new URL(url).pathname;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
