/** HTTP methods the Proton API uses. Other methods pass through as strings. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | (string & {});

/** A request as every transport takes it. */
export interface TransportRequest {
  method: HttpMethod;
  /** Absolute URL, query string included. */
  url: string;
  /** Header names in any case; the transport sends them as given. */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Request body. An object (that is not a `Uint8Array`) is sent as JSON with
   * `Content-Type: application/json`; a `Uint8Array` or string is sent as is.
   */
  body?: unknown;
  /** Deadline for the whole exchange, headers and body, in milliseconds. */
  timeoutMs?: number | undefined;
  /** The caller's cancellation. An abort rejects with the signal's reason, not a TimeoutError. */
  signal?: AbortSignal | undefined;
  /**
   * Whether to stream the body instead of buffering it. Default false: the body is read into
   * memory, up to `maxBodyBytes`.
   */
  stream?: boolean | undefined;
  /** Largest buffered body accepted, in bytes; a larger one is an `UnexpectedResponseError`. */
  maxBodyBytes?: number | undefined;
}

/** A response as every transport returns it. Non-2xx statuses are responses, not errors. */
export interface TransportResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string>>;
  /** The body bytes (empty when `stream` was requested). */
  body: Uint8Array;
  /** The body as a stream, when `stream` was requested; otherwise `undefined`. */
  stream?: ReadableStream<Uint8Array> | undefined;
  /** Decodes the body as UTF-8 text. */
  text(): string;
  /**
   * Parses the body as JSON. Throws `UnexpectedResponseError` (with status and content type)
   * when the body is not valid JSON.
   */
  json(): unknown;
}

/**
 * Sends one HTTP request and returns the response, whatever its status. Failures without a
 * response become `@proton/errors` errors: `NetworkError` (with `cause`), `TimeoutError`,
 * `PinningError`; an abort by the caller rejects with the signal's reason.
 */
export interface Transport {
  request(request: TransportRequest): Promise<TransportResponse>;
  /** Releases pooled connections. The transport must not be used afterwards. */
  close?(): Promise<void>;
}
