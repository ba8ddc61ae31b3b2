/** Test certificates from fixtures/tls (made by fixtures/tls/generate.sh) and a loopback server. */
import { once } from "node:events";
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";

const folder = new URL("./fixtures/tls/", import.meta.url);

export function fixture(file: string): string {
  return readFileSync(new URL(file, folder), "utf8");
}

export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, folder)));
}

/** The pins openssl computed for each certificate (fixtures/tls/pins.txt). */
export const opensslPins: Readonly<Record<string, string>> = Object.fromEntries(
  fixture("pins.txt")
    .trim()
    .split("\n")
    .map((line) => line.split(" ") as [string, string]),
);

export function opensslPin(name: string): string {
  const pin = opensslPins[name];
  if (pin === undefined) {
    throw new Error(`fixtures/tls/pins.txt has no pin for ${name}`);
  }
  return pin;
}

export interface LoopbackServer {
  url: string;
  port: number;
  resumedSessions: number;
  close(): Promise<void>;
}

/**
 * Starts an HTTPS server on 127.0.0.1 that presents `certificate`.pem with `certificate`.key (or
 * the key named by `options.key`) and responds "ok".
 */
export async function startServer(
  certificate: string,
  options: { ticketKeys?: Buffer; port?: number; key?: string } = {},
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = https.createServer(
    {
      key: fixture(`${options.key ?? certificate}.key`),
      cert: fixture(`${certificate}.pem`),
      ...(options.ticketKeys === undefined ? {} : { ticketKeys: options.ticketKeys }),
    },
    (_request, response) => response.end("ok"),
  );
  const state = { resumedSessions: 0 };
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    if (socket.isSessionReused()) {
      state.resumedSessions++;
    }
  });
  server.listen(options.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;

  return {
    url: `https://127.0.0.1:${port}/`,
    port,
    get resumedSessions() {
      return state.resumedSessions;
    },
    async close() {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends one GET with `agent` and resolves to the body, or rejects with the TLS error. */
export function get(url: string, agent: https.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { agent }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve(body));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}
