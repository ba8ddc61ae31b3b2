import { UnexpectedResponseError } from "@proton/errors";
import type { TransportResponse } from "./types.js";

export interface TransportResponseInit {
  status: number;
  headers: Readonly<Record<string, string>>;
  body?: Uint8Array | undefined;
  stream?: ReadableStream<Uint8Array> | undefined;
  /** The request, kept (redacted) on the `UnexpectedResponseError` that `json()` throws. */
  request?: { method: string; url: string } | undefined;
}

const EMPTY = new Uint8Array(0);
const SNIPPET_LENGTH = 200;

/**
 * Creates a `TransportResponse`. `text()` decodes UTF-8 (invalid bytes become U+FFFD) and
 * `json()` throws an `UnexpectedResponseError` with the status, content type and the first 200
 * characters of the body when the body is not valid JSON.
 */
export function createTransportResponse(init: TransportResponseInit): TransportResponse {
  const body = init.body ?? EMPTY;
  const headers = Object.freeze({ ...init.headers });
  let text: string | undefined;

  const readText = (): string => {
    text ??= new TextDecoder("utf-8").decode(body);
    return text;
  };

  return {
    status: init.status,
    headers,
    body,
    stream: init.stream,
    text: readText,
    json(): unknown {
      const source = readText();
      try {
        return JSON.parse(source);
      } catch (error) {
        const contentType = headers["content-type"];
        throw new UnexpectedResponseError(
          `The response body (HTTP ${init.status}, ${contentType ?? "no content type"}) ` +
            `is not valid JSON.`,
          {
            status: init.status,
            contentType,
            bodySnippet: source.slice(0, SNIPPET_LENGTH),
            request: init.request,
            cause: error,
          },
        );
      }
    },
  };
}
