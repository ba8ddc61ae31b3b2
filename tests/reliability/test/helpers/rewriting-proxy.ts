import { once } from "node:events";
import { readFile } from "node:fs/promises";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { Agent, createServer, request as httpsRequest } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { dirname, join } from "node:path";
import type { FakeApi } from "@proton/fake-api";
import type { Endpoint } from "./client.js";

/** A response of the fake API as the proxy received it. */
export interface UpstreamResponse {
  /** Normalised route of the request, such as `"POST /auth/v4/info"`. */
  readonly route: string;
  /** Headers of the client's request, names in lower case. */
  readonly requestHeaders: IncomingHttpHeaders;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body parsed as JSON; `undefined` when it is not JSON. */
  readonly json: unknown;
}

/** What the proxy sends instead of the fake API's response. */
export type Replacement =
  /** This JSON object, with the upstream status unless `status` is given. */
  | { readonly json: unknown; readonly status?: number }
  /** These bytes with these headers and status. */
  | {
      readonly raw: string | Buffer;
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
    }
  /**
   * The status and headers, a `Content-Length` of `declaredLength`, the first `sentBytes` of
   * `body`, and then a dropped connection, or with `stall` an open connection that sends
   * nothing more until the proxy closes.
   */
  | {
      readonly cutBody: string;
      readonly status: number;
      readonly declaredLength: number;
      readonly sentBytes: number;
      readonly stall?: boolean;
    };

/** Decides per response: a replacement, or `undefined` to pass the response on unchanged. */
export type Rewrite = (reply: UpstreamResponse) => Replacement | undefined;

/** A TLS proxy in front of the fake API that can rewrite its responses. */
export interface RewritingProxy extends Endpoint {
  /** Replaces the rewrite rule; `undefined` passes every reply on. */
  setRewrite(rewrite: Rewrite | undefined): void;
  close(): Promise<void>;
}

/** Hop-by-hop and length headers the proxy sets itself. */
const DROPPED_HEADERS: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "host",
]);

/**
 * Starts an HTTPS proxy on 127.0.0.1 that forwards every request to the fake API and passes its
 * reply through a rewrite rule. It serves the fake API's own certificate, so a client pinned to
 * `api.pin` accepts it, and the fake API's request log still records every forwarded request.
 * It produces what the fake API cannot: a tampered modulus, an out-of-range `ServerEphemeral`, a
 * wrong `ServerProof`, a refresh reply without a refresh token, a body cut off mid-way.
 */
export async function startRewritingProxy(api: FakeApi): Promise<RewritingProxy> {
  const certificateFolder = dirname(api.caFile);
  const [cert, key] = await Promise.all([
    readFile(join(certificateFolder, "localhost.pem"), "utf8"),
    readFile(join(certificateFolder, "localhost-key.pem"), "utf8"),
  ]);
  const upstream = new URL(api.url);
  const agent = new Agent({ ca: api.ca, keepAlive: true });
  let rewrite: Rewrite | undefined;

  const server = createServer({ cert, key }, (request, response) => {
    forward(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : undefined);
    });
  });
  const sockets = new Set<Socket>();
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestBody = await readAll(request);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !DROPPED_HEADERS.has(name)) {
        headers[name] = value;
      }
    }
    headers["content-length"] = String(requestBody.length);

    const upstreamResponse = await new Promise<IncomingMessage>((resolve, reject) => {
      const upstreamRequest = httpsRequest(
        {
          agent,
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers,
        },
        resolve,
      );
      upstreamRequest.on("error", reject);
      upstreamRequest.end(requestBody);
    });
    const body = await readAll(upstreamResponse);
    const reply: UpstreamResponse = {
      route: `${request.method ?? "GET"} ${normaliseRoute(new URL(request.url ?? "/", api.url).pathname)}`,
      requestHeaders: request.headers,
      status: upstreamResponse.statusCode ?? 502,
      headers: upstreamResponse.headers,
      body,
      json: parseJson(body),
    };
    send(response, reply, rewrite?.(reply));
  }

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;

  return {
    url: `https://127.0.0.1:${port}`,
    pin: api.pin,
    ca: api.ca,
    setRewrite(next) {
      rewrite = next;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) {
        socket.destroy();
      }
      agent.destroy();
      await closed;
    },
  };
}

function send(
  response: ServerResponse,
  reply: UpstreamResponse,
  replacement: Replacement | undefined,
): void {
  if (replacement === undefined) {
    writeWhole(response, reply.status, passedHeaders(reply.headers), reply.body);
    return;
  }
  if ("json" in replacement) {
    const headers = { ...passedHeaders(reply.headers), "content-type": "application/json" };
    const body = Buffer.from(JSON.stringify(replacement.json));
    writeWhole(response, replacement.status ?? reply.status, headers, body);
    return;
  }
  if ("raw" in replacement) {
    writeWhole(response, replacement.status, replacement.headers, Buffer.from(replacement.raw));
    return;
  }

  response.writeHead(replacement.status, {
    "content-type": "application/json",
    "content-length": String(replacement.declaredLength),
  });
  response.write(Buffer.from(replacement.cutBody).subarray(0, replacement.sentBytes), () => {
    if (replacement.stall !== true) {
      // The headers and the first bytes are on the wire, so dropping the socket cuts the body.
      setTimeout(() => response.socket?.destroy(), 20);
    }
  });
}

function writeWhole(
  response: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
): void {
  response.writeHead(status, { ...headers, "content-length": String(body.length) });
  response.end(body);
}

function passedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !DROPPED_HEADERS.has(name)) {
      passed[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return passed;
}

/** Maps the legacy `/auth/...` paths to their `/auth/v4/...` forms, as the fake API's log does. */
function normaliseRoute(path: string): string {
  return path.startsWith("/auth/") && !path.startsWith("/auth/v4")
    ? `/auth/v4${path.slice("/auth".length)}`
    : path === "/auth"
      ? "/auth/v4"
      : path;
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}
