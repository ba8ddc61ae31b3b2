import { redactUrl } from "./redact.js";

/** The request an error belongs to, as it may be logged: method and redacted URL. */
export interface RequestInfo {
  readonly method: string;
  readonly url: string;
}

/** Returns a `RequestInfo` whose URL has its credentials redacted. */
export function describeRequest(method: string, url: string): RequestInfo {
  return { method: method.toUpperCase(), url: redactUrl(url) };
}
