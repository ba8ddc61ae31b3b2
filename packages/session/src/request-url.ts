/** A query parameter value; `undefined` leaves the parameter out, an array repeats it. */
export type QueryValue =
  | string
  | number
  | boolean
  | undefined
  | readonly (string | number | boolean)[];

/**
 * Checks an API base URL and returns it without a trailing slash. Only `https:` and `http:`
 * URLs are accepted.
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
    throw new TypeError(`Invalid apiUrl "${apiUrl}": it is not an absolute URL.`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`Invalid apiUrl "${apiUrl}": use an https: URL.`);
  }
  if (parsed.search !== "" || parsed.hash !== "") {
    throw new TypeError(`Invalid apiUrl "${apiUrl}": it must not have a query or fragment.`);
  }
  return apiUrl.replace(/\/+$/, "");
}

/**
 * Joins the API base URL, an endpoint path and the query. The endpoint must be a path that
 * starts with `/`. An absolute URL is rejected, so the session's tokens only go to the API
 * host.
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
