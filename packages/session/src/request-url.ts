import { redactUrl } from "@proton/errors";

/** A query parameter value; `undefined` leaves the parameter out, an array repeats it. */
export type QueryValue =
  | string
  | number
  | boolean
  | undefined
  | readonly (string | number | boolean)[];

/**
 * Checks an API base URL and returns it without a trailing slash. Only `https:` and `http:`
 * URLs without credentials, query or fragment are accepted. Messages quote the URL redacted.
 */
export function normalizeApiUrl(apiUrl: string): string {
  if (typeof apiUrl !== "string" || apiUrl === "") {
    throw new TypeError(
      "Missing apiUrl: pass the API base URL, such as https://mail-api.proton.me.",
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new TypeError(`Invalid apiUrl "${redactUrl(apiUrl)}": it is not an absolute URL.`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`Invalid apiUrl "${redactUrl(apiUrl)}": use an https: URL.`);
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new TypeError(
      `Invalid apiUrl "${redactUrl(apiUrl)}": it must not contain a user name or password. The session authenticates with its own tokens.`,
    );
  }
  if (parsed.search !== "" || parsed.hash !== "") {
    throw new TypeError(
      `Invalid apiUrl "${redactUrl(apiUrl)}": it must not have a query or fragment.`,
    );
  }
  return apiUrl.replace(/\/+$/, "");
}

/**
 * Joins the API base URL, an endpoint path and the query. The endpoint must be a path that
 * starts with `/`, without a fragment, whose `..` segments stay below the base URL's path. An
 * absolute URL is rejected, so the session's tokens only go to the API host.
 */
export function buildRequestUrl(
  apiUrl: string,
  endpoint: string,
  query?: Readonly<Record<string, QueryValue>>,
): string {
  if (typeof endpoint !== "string" || !endpoint.startsWith("/") || endpoint.startsWith("//")) {
    throw new TypeError(
      `Invalid endpoint ${JSON.stringify(endpoint)}: pass a path such as "/core/v4/users".`,
    );
  }
  if (endpoint.includes("#")) {
    throw new TypeError(
      `Invalid endpoint ${JSON.stringify(endpointPath(endpoint))}: it contains a fragment (#), which is never sent. Remove it, and pass query parameters with the query option.`,
    );
  }
  requireInsideBasePath(apiUrl, endpoint);

  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) {
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      parameters.append(name, String(item));
    }
  }

  const search = parameters.toString();
  if (search === "") {
    return apiUrl + endpoint;
  }
  return `${apiUrl}${endpoint}${endpoint.includes("?") ? "&" : "?"}${search}`;
}

/** Returns the endpoint without its query string for logs, because a query may carry secrets. */
export function endpointPath(endpoint: string): string {
  const question = endpoint.indexOf("?");
  return question === -1 ? endpoint : endpoint.slice(0, question);
}

/**
 * Throws a TypeError when `..` segments, plain or percent-encoded, lead the endpoint out of the
 * base URL's path, such as `/../admin` below `https://host/api`. The WHATWG URL parser resolves
 * both forms, so the check compares the path it resolves to.
 */
function requireInsideBasePath(apiUrl: string, endpoint: string): void {
  const basePath = new URL(apiUrl).pathname.replace(/\/+$/, "");
  const resolved = new URL(apiUrl + endpointPath(endpoint)).pathname;
  if (resolved !== basePath && !resolved.startsWith(`${basePath}/`)) {
    throw new TypeError(
      `Invalid endpoint ${JSON.stringify(endpointPath(endpoint))}: its ".." segments lead out of the API base path "${basePath}/". Pass a path below it, without "..".`,
    );
  }
}
