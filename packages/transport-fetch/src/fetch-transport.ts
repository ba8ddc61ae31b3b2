import { redactUrl, UnexpectedResponseError } from "@proton/errors";
import {
  BodyCollector,
  createDeadline,
  createTransportResponse,
  encodeRequestBody,
  guardResponseStream,
  normalizeHeaders,
  parseRequestUrl,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "@proton/transport";
import ky from "ky";
import { mapFetchError } from "./map-fetch-error.js";

export interface FetchTransportOptions {
  /** The `fetch` to use. Default `globalThis.fetch`, looked up when each request is sent. */
  fetch?: typeof fetch | undefined;
  /** Default deadline of each request, headers and body, in milliseconds. Default 30_000. */
  timeoutMs?: number | undefined;
  /** Largest buffered body of a non-2xx response, in bytes. Default 1 MiB. */
  maxErrorBodyBytes?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_ERROR_BODY_BYTES = 1024 * 1024;

/**
 * Creates a transport on ky and `fetch`, for browsers and for Node with any `fetch`. It cannot
 * pin certificates because `fetch` exposes no TLS details; errors, deadlines and aborts behave
 * as in `@proton/transport-node`. ky's own retries, timeout and HTTP errors are off: the
 * session decides retries, and non-2xx statuses are responses.
 *
 * Redirects are never followed, because a 307 or 308 would send the request body (refresh
 * tokens, login proofs) and headers such as `x-pm-human-verification-token` to the origin the
 * server names. In Node a 3xx is returned as a response, as `@proton/transport-node` does.
 * Browsers hide a redirect behind a status 0 `opaqueredirect` response, which becomes an
 * `UnexpectedResponseError`.
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof defaultTimeoutMs !== "number" || !(defaultTimeoutMs >= 0)) {
    throw new RangeError(`timeoutMs must be a number >= 0, got ${String(defaultTimeoutMs)}.`);
  }
  const maxErrorBodyBytes = options.maxErrorBodyBytes ?? DEFAULT_MAX_ERROR_BODY_BYTES;
  if (typeof maxErrorBodyBytes !== "number" || !(maxErrorBodyBytes >= 0)) {
    throw new RangeError(
      `maxErrorBodyBytes must be a number >= 0, got ${String(maxErrorBodyBytes)}.`,
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError(`fetch must be a function, got ${typeof options.fetch}.`);
  }

  // NOTE: in Node, ky builds and clones a Request with an AbortSignal for every call, which
  // Node's fetch implements slowly. This transport reaches about half of bare fetch's
  // throughput there (docs/benchmarks/transports.md); browsers were not measured.
  const client = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    redirect: "manual",
    fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
  });

  return {
    async request(request: TransportRequest): Promise<TransportResponse> {
      const requestInfo = { method: request.method, url: request.url };
      parseRequestUrl(request.url);
      const deadline = createDeadline({
        timeoutMs: request.timeoutMs ?? defaultTimeoutMs,
        signal: request.signal,
        request: requestInfo,
      });
      if (deadline.signal.aborted) {
        deadline.clear();
        throw deadline.abortError();
      }
      const { body, headers } = encodeRequestBody(request.body, request.headers);
      let streaming = false;

      try {
        const response = await client(request.url, {
          method: request.method,
          headers,
          ...(body === undefined ? {} : { body: body as BodyInit }),
          signal: deadline.signal,
        });
        if (response.type === "opaqueredirect") {
          throw new UnexpectedResponseError(
            `The server responded to ${request.method} ${redactUrl(request.url)} with a redirect, ` +
              `which this transport does not follow: check the API URL.`,
            { status: response.status, contentType: undefined, request: requestInfo },
          );
        }
        const responseHeaders = readHeaders(response.headers);

        if (request.stream === true && response.body !== null) {
          streaming = true;
          return createTransportResponse({
            status: response.status,
            headers: responseHeaders,
            stream: guardResponseStream(response.body, deadline, (error) =>
              mapFetchError(error, requestInfo),
            ),
            request: requestInfo,
          });
        }

        // NOTE: a 2xx body has no default limit here, unlike in @proton/transport-node. fetch
        // decompresses bodies, so content-length cannot select the faster arrayBuffer() path,
        // and a limit would put every response through the slower reader loop.
        const isError = response.status < 200 || response.status >= 300;
        const maxBytes = isError
          ? Math.min(request.maxBodyBytes ?? maxErrorBodyBytes, maxErrorBodyBytes)
          : request.maxBodyBytes;
        const responseBody = await readBody(response, maxBytes, {
          status: response.status,
          contentType: responseHeaders["content-type"],
          request: requestInfo,
        });
        return createTransportResponse({
          status: response.status,
          headers: responseHeaders,
          body: responseBody,
          request: requestInfo,
        });
      } catch (error) {
        throw deadline.abortError() ?? mapFetchError(error, requestInfo);
      } finally {
        if (!streaming) {
          deadline.clear();
        }
      }
    },
  };
}

function readHeaders(headers: Headers): Record<string, string> {
  const entries: [string, string][] = [];
  headers.forEach((value, name) => {
    entries.push([name, value]);
  });
  return normalizeHeaders(entries);
}

/**
 * Reads the whole body. Without a limit it uses `arrayBuffer()`, which is faster than a reader
 * loop in Node's fetch. With a limit it counts chunks, so an oversized body is never held in
 * full.
 */
async function readBody(
  response: Response,
  maxBytes: number | undefined,
  context: {
    status: number;
    contentType: string | undefined;
    request: { method: string; url: string };
  },
): Promise<Uint8Array> {
  if (response.body === null) {
    return new Uint8Array(0);
  }
  if (maxBytes === undefined) {
    return new Uint8Array(await response.arrayBuffer());
  }

  const collector = new BodyCollector({ ...context, maxBytes });
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return collector.finish();
      }
      collector.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
}
