import { Readable } from "node:stream";
import { NetworkError, redactUrl } from "@proton/errors";
import type { PinFailureReport } from "@proton/pinning";
import { validatePins } from "@proton/pinning";
import {
  BodyCollector,
  type BodyCollectorOptions,
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
import type { Dispatcher } from "undici";
import { createAbortSource } from "./abort-source.js";
import { mapTransportError } from "./map-error.js";
import { createOriginDispatcher, createTransportSecureContext } from "./origin-dispatcher.js";
import { raceDeadline } from "./race-deadline.js";

export interface NodeTransportOptions {
  /** Check Proton hosts against Proton's pin sets. Default true. */
  pinning?: boolean | undefined;
  /** SPKI SHA-256 pins (base64) accepted for every host, replacing the published sets. */
  pins?: readonly string[] | undefined;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
  /** Deadline for TCP connect plus TLS handshake, in milliseconds. Default 10_000. */
  connectTimeoutMs?: number | undefined;
  /** Default deadline of each request, headers and body, in milliseconds. Default 30_000. */
  timeoutMs?: number | undefined;
  /** An HTTP(S) proxy URL, or "env" to use `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`. */
  proxy?: string | undefined;
  /**
   * Largest buffered response body, in bytes; `request.maxBodyBytes` overrides it. Default
   * 64 MiB. A body read with `stream: true` has no limit.
   */
  maxBodyBytes?: number | undefined;
  /** Largest buffered body of a non-2xx response, in bytes. Default 1 MiB. */
  maxErrorBodyBytes?: number | undefined;
  /** Receives an RFC 7469 style report of each pin failure. Nothing is sent anywhere. */
  onPinFailure?: ((report: PinFailureReport) => void) | undefined;
}

export type NodeTransport = Transport & { close(): Promise<void> };

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_ERROR_BODY_BYTES = 1024 * 1024;

/**
 * Creates a transport on undici with one keep-alive connection pool per origin. Pinning is on
 * by default: a Proton host is checked against its published pin set, another host needs
 * `pins`, and with neither the request fails with a `PinningError` before anything is sent.
 * `pinning: false` keeps normal CA validation.
 */
export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  const pinning = checkPinning(options.pinning, options.pins);
  const pins = options.pins === undefined ? undefined : validatePins(options.pins);
  const connectTimeoutMs = checkNonNegative(
    "connectTimeoutMs",
    options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  );
  const defaultTimeoutMs = checkNonNegative("timeoutMs", options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const maxBodyBytes = checkNonNegative(
    "maxBodyBytes",
    options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  );
  const maxErrorBodyBytes = checkNonNegative(
    "maxErrorBodyBytes",
    options.maxErrorBodyBytes ?? DEFAULT_MAX_ERROR_BODY_BYTES,
  );
  const proxy = checkProxy(options.proxy);
  const secureContext = createTransportSecureContext(options.ca);

  const dispatchers = new Map<string, Dispatcher>();
  let closed = false;

  const dispatcherFor = (url: URL): Dispatcher => {
    let dispatcher = dispatchers.get(url.origin);
    if (dispatcher === undefined) {
      dispatcher = createOriginDispatcher(url, {
        pinning,
        pins,
        secureContext,
        connectTimeoutMs,
        proxy,
        onPinFailure: options.onPinFailure,
      });
      dispatchers.set(url.origin, dispatcher);
    }
    return dispatcher;
  };

  return {
    async request(request: TransportRequest): Promise<TransportResponse> {
      const requestInfo = { method: request.method, url: request.url };
      if (closed) {
        throw new NetworkError(
          "This transport is closed, so the request was not sent: create a new transport with " +
            "createNodeTransport().",
          { request: requestInfo },
        );
      }
      const url = parseRequestUrl(request.url);
      const dispatcher = dispatcherFor(url);

      const deadline = createDeadline({
        timeoutMs: request.timeoutMs ?? defaultTimeoutMs,
        signal: request.signal,
        request: requestInfo,
      });
      const { body, headers } = encodeRequestBody(request.body, request.headers);
      let streaming = false;

      try {
        const pending = dispatcher.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: request.method as Dispatcher.HttpMethod,
          headers,
          body: body ?? null,
          signal: createAbortSource(deadline),
        });
        // A pool with a connected socket dispatches the request without a handshake, and
        // undici honours the abort signal there. The race cost 14-20% of keep-alive throughput
        // in the transport benchmark, so it runs only while no connection is open yet.
        // NOTE: a request queued behind busy sockets while a new connection hangs in its
        // handshake therefore ends when a socket frees up, not at its deadline.
        const response = await (hasConnectedSocket(dispatcher)
          ? pending
          : raceDeadline(pending, deadline));
        const responseHeaders = normalizeHeaders(Object.entries(response.headers));

        if (request.stream === true) {
          streaming = true;
          const stream = guardResponseStream(
            Readable.toWeb(response.body) as ReadableStream<Uint8Array>,
            deadline,
            (error) => mapTransportError(error, { request: requestInfo, connectTimeoutMs }),
          );
          return createTransportResponse({
            status: response.statusCode,
            headers: responseHeaders,
            stream,
            request: requestInfo,
          });
        }

        const isError = response.statusCode < 200 || response.statusCode >= 300;
        const responseBody = await readBody(response, {
          status: response.statusCode,
          contentType: responseHeaders["content-type"],
          maxBytes: smallest(
            request.maxBodyBytes ?? maxBodyBytes,
            isError ? maxErrorBodyBytes : undefined,
          ),
          request: requestInfo,
        });
        return createTransportResponse({
          status: response.statusCode,
          headers: responseHeaders,
          body: responseBody,
          request: requestInfo,
        });
      } catch (error) {
        throw (
          deadline.abortError() ??
          mapTransportError(error, { request: requestInfo, connectTimeoutMs })
        );
      } finally {
        if (!streaming) {
          deadline.clear();
        }
      }
    },

    async close(): Promise<void> {
      if (closed) {
        return;
      }
      closed = true;
      const all = [...dispatchers.values()];
      dispatchers.clear();
      // destroy, not close: a request abandoned at its deadline while undici still waits for
      // its connection would hold a graceful close until connectTimeoutMs.
      await Promise.all(all.map((dispatcher) => dispatcher.destroy()));
    },
  };
}

function hasConnectedSocket(dispatcher: Dispatcher): boolean {
  const connected = (dispatcher as { stats?: { connected?: unknown } }).stats?.connected;
  return typeof connected === "number" && connected > 0;
}

/**
 * Validates the `pinning` option. Only a boolean is accepted, because a value such as `0` or
 * `"false"` from parsed configuration would otherwise turn pinning off or leave it on by
 * accident. `pinning: false` together with `pins` throws, because the pins would be ignored.
 */
function checkPinning(pinning: unknown, pins: readonly string[] | undefined): boolean {
  if (pinning === undefined) {
    return true;
  }
  if (typeof pinning !== "boolean") {
    throw new TypeError(`pinning must be true or false, got ${describeValue(pinning)}.`);
  }
  if (!pinning && pins !== undefined) {
    throw new TypeError(
      "pinning: false and pins contradict each other: pinning: false would ignore the pins. " +
        "Remove pinning: false to enforce the pins, or remove pins to turn pinning off.",
    );
  }
  return pinning;
}

function describeValue(value: unknown): string {
  if (typeof value === "string" || typeof value === "number") {
    return `${typeof value} ${JSON.stringify(value)}`;
  }
  return value === null ? "null" : typeof value;
}

function checkNonNegative(name: string, value: number): number {
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a number >= 0, got ${String(value)}.`);
  }
  return value;
}

function checkProxy(proxy: string | undefined): string | undefined {
  if (proxy === undefined || proxy === "env") {
    return proxy;
  }
  let url: URL;
  try {
    url = new URL(proxy);
  } catch (error) {
    throw new TypeError(
      `proxy must be an http:// or https:// URL or "env"; "${redactUrl(proxy)}" is not a URL.`,
      { cause: error },
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`proxy must be an http:// or https:// URL or "env", got ${url.protocol}.`);
  }
  return proxy;
}

/**
 * Reads the whole body. When no limit applies, or the declared `content-length` is within it,
 * undici's `arrayBuffer()` reads it in one step (undici rejects a body longer than its
 * `content-length`). Otherwise the chunks are counted so an oversized body is never held in
 * full.
 */
async function readBody(
  response: Dispatcher.ResponseData,
  options: BodyCollectorOptions,
): Promise<Uint8Array> {
  const declared = Number(response.headers["content-length"]);
  if (
    options.maxBytes === undefined ||
    (Number.isSafeInteger(declared) && declared <= options.maxBytes)
  ) {
    return new Uint8Array(await response.body.arrayBuffer());
  }

  const collector = new BodyCollector(options);
  try {
    for await (const chunk of response.body) {
      collector.push(chunk as Uint8Array);
    }
  } catch (error) {
    response.body.destroy();
    throw error;
  }
  return collector.finish();
}

function smallest(a: number, b: number | undefined): number {
  return b === undefined ? a : Math.min(a, b);
}
