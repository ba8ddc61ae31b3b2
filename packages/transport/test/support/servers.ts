/** Loopback servers for transport tests. Every server listens on 127.0.0.1 and port 0. */
import { once } from "node:events";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import net, { type AddressInfo, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { type CertificateName, caPem, keyPair } from "./tls-fixtures.js";

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** TLS sessions the server resumed instead of running a full handshake. */
  readonly resumedSessions: number;
  close(): Promise<void>;
}

interface Tracked {
  sockets: Set<Socket>;
  connections: number;
  resumedSessions: number;
}

function track(server: net.Server, tracked: Tracked, secure: boolean): void {
  server.on(secure ? "secureConnection" : "connection", (socket: Socket) => {
    tracked.connections++;
    tracked.sockets.add(socket);
    socket.on("close", () => tracked.sockets.delete(socket));
    if (secure && (socket as TLSSocket).isSessionReused()) {
      tracked.resumedSessions++;
    }
  });
  if (secure) {
    server.on("connection", (socket: Socket) => {
      tracked.sockets.add(socket);
      socket.on("close", () => tracked.sockets.delete(socket));
    });
  }
}

async function listen(server: net.Server, port = 0): Promise<number> {
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

function closer(server: net.Server, tracked: Tracked): () => Promise<void> {
  return async () => {
    for (const socket of tracked.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

export interface HttpsServerOptions {
  certificate?: CertificateName | undefined;
  /** Session ticket keys (48 bytes); two servers with the same keys resume each other's sessions. */
  ticketKeys?: Buffer | undefined;
  /** Listen on this port instead of a free one. */
  port?: number | undefined;
  /** Also send the CA certificate after the leaf. */
  sendChain?: boolean | undefined;
}

export async function startHttpsServer(
  handler: Handler,
  options: HttpsServerOptions = {},
): Promise<TestServer> {
  const pair = keyPair(options.certificate ?? "leaf");
  const server = https.createServer(
    {
      key: pair.key,
      cert: options.sendChain === true ? `${pair.cert}${caPem}` : pair.cert,
      ...(options.ticketKeys === undefined ? {} : { ticketKeys: options.ticketKeys }),
    },
    handler,
  );
  const tracked: Tracked = { sockets: new Set(), connections: 0, resumedSessions: 0 };
  track(server, tracked, true);
  const port = await listen(server, options.port);
  return describe(`https://127.0.0.1:${port}`, port, tracked, closer(server, tracked));
}

export async function startHttpServer(handler: Handler): Promise<TestServer> {
  const server = http.createServer(handler);
  const tracked: Tracked = { sockets: new Set(), connections: 0, resumedSessions: 0 };
  track(server, tracked, false);
  const port = await listen(server);
  return describe(`http://127.0.0.1:${port}`, port, tracked, closer(server, tracked));
}

/** Starts a TCP server that accepts connections and never sends a byte, not even a TLS handshake. */
export async function startSilentServer(): Promise<TestServer> {
  const server = net.createServer(() => {});
  const tracked: Tracked = { sockets: new Set(), connections: 0, resumedSessions: 0 };
  track(server, tracked, false);
  const port = await listen(server);
  return describe(`https://127.0.0.1:${port}`, port, tracked, closer(server, tracked));
}

export interface ProxyServer extends TestServer {
  /** The `host:port` targets of the CONNECT requests received. */
  readonly tunnels: readonly string[];
  /** The `Proxy-Authorization` header of each CONNECT request, or `undefined`. */
  readonly authorizations: readonly (string | undefined)[];
}

/**
 * Starts an HTTP proxy that serves CONNECT only and tunnels to 127.0.0.1 whatever the target host,
 * so tests never reach another machine.
 */
export async function startConnectProxy(): Promise<ProxyServer> {
  const tunnels: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = http.createServer((_request, response) => {
    response.writeHead(405).end("CONNECT only");
  });
  const tracked: Tracked = { sockets: new Set(), connections: 0, resumedSessions: 0 };
  track(server, tracked, false);

  server.on("connect", (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? "";
    tunnels.push(target);
    authorizations.push(request.headers["proxy-authorization"]);
    const port = Number(target.slice(target.lastIndexOf(":") + 1));
    const upstream = net.connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tracked.sockets.add(upstream);
    upstream.on("close", () => tracked.sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });

  const port = await listen(server);
  const base = describe(`http://127.0.0.1:${port}`, port, tracked, closer(server, tracked));
  return Object.defineProperties(base, {
    tunnels: { get: () => tunnels },
    authorizations: { get: () => authorizations },
  }) as ProxyServer;
}

function describe(
  url: string,
  port: number,
  tracked: Tracked,
  close: () => Promise<void>,
): TestServer {
  return {
    url,
    port,
    get connections() {
      return tracked.connections;
    },
    get resumedSessions() {
      return tracked.resumedSessions;
    },
    close,
  };
}

/** Sends a JSON body with `content-type: application/json`. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
