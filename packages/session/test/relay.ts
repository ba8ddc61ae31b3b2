import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import type { FakeApi } from "@proton/fake-api";

/** A request as the relay received it. */
export interface RelayedRequest {
  readonly method: string;
  /** Path and query string. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A reply the relay is about to send; an edit may change its body and headers. */
export interface RelayedReply {
  status: number;
  headers: Record<string, string | string[]>;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** Text sent instead of `body`, for replies that are not valid JSON. */
  raw?: string;
}

/**
 * A plain-HTTP loopback server in front of the fake API that records every request and lets a
 * test change JSON replies, for cases the fake API cannot produce itself: a wrong server proof,
 * a refresh reply with missing fields, cookies.
 */
export interface Relay {
  readonly url: string;
  readonly requests: RelayedRequest[];
  /** Changes the replies to `route`, such as "POST /auth/v4", until `clearEdits`. */
  editReplies(route: string, edit: (reply: RelayedReply) => void): void;
  clearEdits(): void;
  close(): Promise<void>;
}

export async function startRelay(api: FakeApi): Promise<Relay> {
  const requests: RelayedRequest[] = [];
  const edits = new Map<string, (reply: RelayedReply) => void>();
  const target = new URL(api.url);

  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readAll(incoming);
      const method = incoming.method ?? "GET";
      const url = incoming.url ?? "/";
      requests.push({ method, url, headers: incoming.headers, body: body.toString("utf8") });

      const upstream = await forward(target, api.ca, method, url, incoming.headers, body);
      const edit = edits.get(`${method} ${url.split("?")[0]}`);
      let replyBody = upstream.body;
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upstream.headers)) {
        if (value !== undefined && name !== "content-length" && name !== "transfer-encoding") {
          headers[name] = value;
        }
      }

      let status = upstream.status;
      if (edit !== undefined) {
        const reply: RelayedReply = { status, headers, body: JSON.parse(replyBody.toString()) };
        edit(reply);
        status = reply.status;
        replyBody = Buffer.from(reply.raw ?? JSON.stringify(reply.body));
      }
      outgoing.writeHead(status, { ...headers, "content-length": String(replyBody.length) });
      outgoing.end(replyBody);
    })().catch((error: unknown) => {
      outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end(`relay failed: ${String(error)}`);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    editReplies: (route, edit) => {
      edits.set(route, edit);
    },
    clearEdits: () => {
      edits.clear();
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function forward(
  target: URL,
  ca: string,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const { host: _host, connection: _connection, ...forwarded } = headers;
    const request = httpsRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: forwarded,
        ca,
        agent: false,
      },
      (response) => {
        readAll(response)
          .then((data) =>
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }),
          )
          .catch(reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
