import type { TransportResponse } from "@proton/transport";

/** The cap on an error body read from a stream, in bytes. */
const MAX_STREAMED_ERROR_BODY = 64 * 1024;

/** Cancels the body stream of a response that will not be read. */
export async function discardStream(response: TransportResponse): Promise<void> {
  await response.stream?.cancel().catch(() => undefined);
}

/**
 * Returns a copy of a streamed error response with up to `MAX_STREAMED_ERROR_BODY` bytes of its
 * body buffered and the rest of the stream cancelled. A buffered response is returned as is.
 */
export async function bufferStreamedResponse(
  response: TransportResponse,
): Promise<TransportResponse> {
  if (response.stream === undefined) {
    return response;
  }
  const reader = response.stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < MAX_STREAMED_ERROR_BODY) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      chunks.push(value);
      length += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  const text = new TextDecoder().decode(body);
  return {
    status: response.status,
    headers: response.headers,
    body,
    stream: undefined,
    text: () => text,
    json: () => JSON.parse(text),
  };
}
