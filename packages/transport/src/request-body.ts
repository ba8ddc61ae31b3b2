/** A request body and headers ready to send. */
export interface EncodedRequestBody {
  body: Uint8Array | string | undefined;
  /** The request headers, with `content-type: application/json` added for JSON bodies. */
  headers: Record<string, string>;
}

/**
 * Encodes `TransportRequest.body`: `undefined` and `null` send no body, a `Uint8Array` or
 * string is sent as it is, and any other value is sent as JSON with
 * `content-type: application/json` unless the caller set a content type.
 */
export function encodeRequestBody(
  body: unknown,
  headers: Readonly<Record<string, string>> | undefined,
): EncodedRequestBody {
  const copy: Record<string, string> = { ...headers };

  if (body === undefined || body === null) {
    return { body: undefined, headers: copy };
  }
  if (body instanceof Uint8Array || typeof body === "string") {
    return { body, headers: copy };
  }

  const hasContentType = Object.keys(copy).some((name) => name.toLowerCase() === "content-type");
  if (!hasContentType) {
    copy["content-type"] = "application/json";
  }
  return { body: JSON.stringify(body), headers: copy };
}
