import { redactUrl } from "@proton/errors";

/**
 * Parses a request URL, which must be absolute and use http: or https:. Throws a `TypeError`
 * whose message shows the URL with its credentials redacted.
 */
export function parseRequestUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new TypeError(
      `Invalid request URL: expected an absolute http(s) URL, got "${redactUrl(value)}".`,
      {
        cause: error,
      },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(
      `Unsupported URL scheme "${url.protocol}" in the request URL: use https: or http:.`,
    );
  }
  return url;
}
