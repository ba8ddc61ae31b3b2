/**
 * Redaction of credentials in request descriptions. Both helpers split strings with
 * `indexOf` and `split` only, so their run time is linear in the input length whatever the
 * input contains (no regular expression can backtrack).
 */

export const REDACTED = "[REDACTED]";

/** Header names whose values are credentials. Compared in lower case. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-pm-human-verification-token",
]);

/** Query parameter names whose values are credentials. Compared in lower case. */
const SECRET_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  "access_token",
  "accesstoken",
  "refresh_token",
  "refreshtoken",
  "token",
  "code",
  "password",
  "secret",
  "client_secret",
  "key",
  "sig",
  "signature",
]);

/**
 * Returns a copy of `headers` with credential values replaced. An `Authorization` value keeps
 * its scheme (`Bearer [REDACTED]`) so a log still shows which kind of credential was sent.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const copy: Record<string, string> = {};

  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) {
      continue;
    }
    const text = typeof value === "string" ? value : value.join(", ");
    copy[name] = SECRET_HEADERS.has(name.toLowerCase()) ? redactCredential(text) : text;
  }
  return copy;
}

function redactCredential(value: string): string {
  const space = value.indexOf(" ");
  if (space > 0 && space <= 20) {
    return `${value.slice(0, space)} ${REDACTED}`;
  }
  return REDACTED;
}

/**
 * Returns `url` with the values of token-bearing query parameters and any user:password part
 * replaced. Works on absolute URLs and on paths with a query string.
 */
export function redactUrl(url: string): string {
  let rest = url;
  let fragment = "";
  const hash = rest.indexOf("#");
  if (hash !== -1) {
    fragment = rest.slice(hash);
    rest = rest.slice(0, hash);
  }

  const question = rest.indexOf("?");
  const base = question === -1 ? rest : rest.slice(0, question);
  const query = question === -1 ? undefined : rest.slice(question + 1);

  const redactedBase = redactUserInfo(base);
  if (query === undefined) {
    return redactedBase + fragment;
  }
  return `${redactedBase}?${redactQuery(query)}${fragment}`;
}

function redactUserInfo(base: string): string {
  const scheme = base.indexOf("://");
  if (scheme === -1) {
    return base;
  }
  const authorityStart = scheme + 3;
  const slash = base.indexOf("/", authorityStart);
  const authorityEnd = slash === -1 ? base.length : slash;
  const at = base.lastIndexOf("@", authorityEnd - 1);
  if (at < authorityStart) {
    return base;
  }
  return `${base.slice(0, authorityStart)}${REDACTED}${base.slice(at)}`;
}

function redactQuery(query: string): string {
  return query
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      if (equals === -1) {
        return pair;
      }
      const name = safeDecode(pair.slice(0, equals)).toLowerCase();
      return SECRET_QUERY_PARAMETERS.has(name) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
    })
    .join("&");
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}
