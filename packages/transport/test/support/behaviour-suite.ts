/**
 * The behaviour every transport shares, run by each transport package against its own
 * implementation: status and headers, JSON and binary bodies, body limits, keep-alive, the
 * request deadline, aborts, connection failures and TLS validation failures.
 */
import {
  CertificateError,
  NetworkError,
  PinningError,
  TimeoutError,
  UnexpectedResponseError,
} from "@proton/errors";
import { afterEach, describe, expect, it } from "vitest";
import type { Transport } from "../../src/types.js";
import {
  type Handler,
  type HttpsServerOptions,
  sendJson,
  startHttpsServer,
  type TestServer,
} from "./servers.js";

export interface TransportFactory {
  /** Creates a transport that trusts the test CA (ca.pem of the pinning test fixtures). */
  create(options?: { timeoutMs?: number }): Transport;
}

export function describeTransportBehaviour(name: string, factory: TransportFactory): void {
  describe(`${name}: shared transport behaviour`, () => {
    const cleanups: (() => Promise<void>)[] = [];

    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) {
        await cleanup();
      }
    });

    async function server(handler: Handler, options?: HttpsServerOptions): Promise<TestServer> {
      const started = await startHttpsServer(handler, options);
      cleanups.push(() => started.close());
      return started;
    }

    function transport(options?: { timeoutMs?: number }): Transport {
      const created = factory.create(options);
      cleanups.push(async () => {
        await created.close?.();
      });
      return created;
    }

    it("returns status, lower-case headers and JSON", async () => {
      const target = await server((_request, response) => {
        response.setHeader("X-Custom", "one");
        sendJson(response, 200, { Code: 1000, Name: "alice" });
      });

      const response = await transport().request({ method: "GET", url: `${target.url}/users` });

      expect(response.status).toBe(200);
      expect(response.headers["x-custom"]).toBe("one");
      expect(response.headers["content-type"]).toBe("application/json");
      expect(response.json()).toEqual({ Code: 1000, Name: "alice" });
      expect(response.text()).toBe('{"Code":1000,"Name":"alice"}');
      expect(response.stream).toBeUndefined();
    });

    it("sends an object body as JSON", async () => {
      const target = await server(async (request, response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) {
          chunks.push(chunk as Buffer);
        }
        sendJson(response, 200, {
          method: request.method,
          contentType: request.headers["content-type"],
          appVersion: request.headers["x-pm-appversion"],
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });

      const response = await transport().request({
        method: "POST",
        url: `${target.url}/auth/v4/info`,
        headers: { "x-pm-appversion": "Other" },
        body: { Username: "alice" },
      });

      expect(response.json()).toEqual({
        method: "POST",
        contentType: "application/json",
        appVersion: "Other",
        body: '{"Username":"alice"}',
      });
    });

    it("sends and receives binary bodies unchanged", async () => {
      const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
      const target = await server(async (request, response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) {
          chunks.push(chunk as Buffer);
        }
        response.writeHead(200, { "content-type": "application/octet-stream" });
        response.end(Buffer.concat(chunks));
      });

      const response = await transport().request({
        method: "PUT",
        url: `${target.url}/upload`,
        headers: { "content-type": "application/octet-stream" },
        body: bytes,
      });

      expect(response.status).toBe(200);
      expect(response.body).toEqual(bytes);
    });

    it("returns a 422 as a response, not an error", async () => {
      const target = await server((_request, response) => {
        sendJson(response, 422, { Code: 8002, Error: "Incorrect login credentials" });
      });

      const response = await transport().request({ method: "POST", url: `${target.url}/auth/v4` });

      expect(response.status).toBe(422);
      expect(response.json()).toEqual({ Code: 8002, Error: "Incorrect login credentials" });
    });

    it("returns a redirect without following it", async () => {
      const received: string[] = [];
      const other = await server((request, response) => {
        received.push(`${request.method} ${request.url} ${request.headers["x-pm-uid"]}`);
        sendJson(response, 200, { Code: 1000, AccessToken: "from-other-origin" });
      });
      for (const status of [301, 302, 303, 307, 308]) {
        const target = await server((_request, response) => {
          response.writeHead(status, { location: `${other.url}/collect` });
          response.end();
        });

        const response = await transport().request({
          method: "POST",
          url: `${target.url}/auth/v4/refresh`,
          headers: { "x-pm-uid": "uid-1" },
          body: { UID: "uid-1", RefreshToken: "refresh-secret" },
        });

        expect(response.status).toBe(status);
        expect(response.headers["location"]).toBe(`${other.url}/collect`);
      }
      expect(received).toEqual([]);
    });

    it("rejects an HTML body from json() with status and type", async () => {
      const target = await server((_request, response) => {
        response.writeHead(503, { "content-type": "text/html" });
        response.end("<html><body>Maintenance</body></html>");
      });

      const response = await transport().request({ method: "GET", url: `${target.url}/ping` });
      const error = catchSync(() => response.json());

      expect(UnexpectedResponseError.isInstance(error)).toBe(true);
      const typed = error as UnexpectedResponseError;
      expect(typed.status).toBe(503);
      expect(typed.contentType).toBe("text/html");
      expect(typed.bodySnippet).toBe("<html><body>Maintenance</body></html>");
    });

    it("rejects a body larger than maxBodyBytes", async () => {
      const target = await server((_request, response) => {
        response.writeHead(200, { "content-type": "application/octet-stream" });
        response.end(Buffer.alloc(64 * 1024, 1));
      });

      const error = await transport()
        .request({ method: "GET", url: `${target.url}/big`, maxBodyBytes: 1024 })
        .catch((caught: unknown) => caught);

      expect(UnexpectedResponseError.isInstance(error)).toBe(true);
      expect((error as UnexpectedResponseError).status).toBe(200);
      expect((error as Error).message).toContain("1024-byte limit");
    });

    it("streams the body when asked", async () => {
      const target = await server((_request, response) => {
        response.writeHead(200, { "content-type": "text/plain" });
        response.write("first,");
        setTimeout(() => response.end("second"), 20);
      });

      const response = await transport().request({
        method: "GET",
        url: `${target.url}/download`,
        stream: true,
      });

      expect(response.body.byteLength).toBe(0);
      expect(response.stream).toBeDefined();
      const text = await new Response(response.stream).text();
      expect(text).toBe("first,second");
    });

    it("maps a reset mid-stream to NetworkError", async () => {
      const target = await server((request, response) => {
        response.writeHead(200, { "content-type": "text/plain", "content-length": "1000" });
        response.write("partial");
        setTimeout(() => request.socket.destroy(), 20);
      });

      const response = await transport().request({
        method: "GET",
        url: `${target.url}/download`,
        stream: true,
      });
      const error = await new Response(response.stream).text().catch((caught: unknown) => caught);

      expect(NetworkError.isInstance(error)).toBe(true);
      expect((error as NetworkError).request?.url).toBe(`${target.url}/download`);
    });

    it("times out a stalled stream", async () => {
      const target = await server((_request, response) => {
        response.writeHead(200, { "content-type": "text/plain", "content-length": "1000" });
        response.write("partial");
      });

      const response = await transport().request({
        method: "GET",
        url: `${target.url}/download`,
        stream: true,
        timeoutMs: 150,
      });
      const error = await new Response(response.stream).text().catch((caught: unknown) => caught);

      expect(TimeoutError.isInstance(error)).toBe(true);
      expect((error as TimeoutError).timeoutMs).toBe(150);
    });

    it("reuses one keep-alive connection", async () => {
      const target = await server((_request, response) => sendJson(response, 200, { Code: 1000 }));
      const client = transport();

      for (let index = 0; index < 5; index++) {
        const response = await client.request({ method: "GET", url: `${target.url}/tests/ping` });
        expect(response.status).toBe(200);
        // undici returns a connection to its pool one tick after the body ends; a request sent
        // within that tick opens a second connection.
        await new Promise((resolve) => setImmediate(resolve));
      }

      expect(target.connections).toBe(1);
    });

    it("times out a server that never answers", async () => {
      const target = await server(() => {
        // Accept the request and never respond.
      });
      const started = performance.now();

      const error = await transport()
        .request({ method: "GET", url: `${target.url}/hang`, timeoutMs: 150 })
        .catch((caught: unknown) => caught);

      expect(TimeoutError.isInstance(error)).toBe(true);
      expect((error as TimeoutError).timeoutMs).toBe(150);
      expect((error as TimeoutError).phase).toBe("total");
      expect((error as TimeoutError).request?.url).toBe(`${target.url}/hang`);
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it("applies the transport's default timeout", async () => {
      const target = await server(() => {});

      const error = await transport({ timeoutMs: 100 })
        .request({ method: "GET", url: `${target.url}/hang` })
        .catch((caught: unknown) => caught);

      expect(TimeoutError.isInstance(error)).toBe(true);
      expect((error as TimeoutError).timeoutMs).toBe(100);
    });

    it("times out a body that stops mid-way", async () => {
      const target = await server((_request, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        response.write('{"partial":');
      });

      const error = await transport()
        .request({ method: "GET", url: `${target.url}/slow`, timeoutMs: 150 })
        .catch((caught: unknown) => caught);

      expect(TimeoutError.isInstance(error)).toBe(true);
    });

    it("passes the caller's abort reason through", async () => {
      let received!: () => void;
      const requestReceived = new Promise<void>((resolve) => {
        received = resolve;
      });
      const target = await server(() => received());
      const controller = new AbortController();
      const reason = new Error("user cancelled");

      const pending = transport().request({
        method: "GET",
        url: `${target.url}/hang`,
        signal: controller.signal,
      });
      await requestReceived;
      controller.abort(reason);
      const error = await pending.catch((caught: unknown) => caught);

      expect(error).toBe(reason);
    });

    it("rejects at once with an aborted signal", async () => {
      const target = await server((_request, response) => sendJson(response, 200, {}));
      const controller = new AbortController();
      controller.abort(new Error("already cancelled"));

      const error = await transport()
        .request({ method: "GET", url: target.url, signal: controller.signal })
        .catch((caught: unknown) => caught);

      expect((error as Error).message).toBe("already cancelled");
      expect(target.connections).toBe(0);
    });

    it("maps a refused connection to NetworkError", async () => {
      const closed = await startHttpsServer(() => {});
      await closed.close();

      const error = await transport()
        .request({ method: "GET", url: `${closed.url}/` })
        .catch((caught: unknown) => caught);

      expect(NetworkError.isInstance(error)).toBe(true);
      expect(TimeoutError.isInstance(error)).toBe(false);
      expect((error as NetworkError).errorCode).toBe("ECONNREFUSED");
      expect((error as Error).message).toContain("refused");
    });

    it("maps a reset mid-body to NetworkError", async () => {
      const target = await server((request, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        response.write('{"Code":1000,');
        setTimeout(() => request.socket.destroy(), 20);
      });

      const error = await transport()
        .request({ method: "GET", url: `${target.url}/reset` })
        .catch((caught: unknown) => caught);

      expect(NetworkError.isInstance(error)).toBe(true);
      expect(TimeoutError.isInstance(error)).toBe(false);
      expect((error as NetworkError).cause).toBeDefined();
    });

    const tlsFailures = [
      { certificate: "expired", code: "CERT_HAS_EXPIRED", reason: "expired", text: "expired" },
      {
        certificate: "wrong-host",
        code: "ERR_TLS_CERT_ALTNAME_INVALID",
        reason: "hostname-mismatch",
        text: "hostname",
      },
      {
        certificate: "untrusted",
        code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        reason: "untrusted",
        text: "trusted CA",
      },
    ] as const;

    for (const failure of tlsFailures) {
      it(`rejects a ${failure.certificate} certificate as ${failure.code}`, async () => {
        const target = await server((_request, response) => sendJson(response, 200, {}), {
          certificate: failure.certificate,
        });

        const error = await transport()
          .request({ method: "GET", url: `${target.url}/` })
          .catch((caught: unknown) => caught);

        expect(CertificateError.isInstance(error)).toBe(true);
        expect(PinningError.isInstance(error)).toBe(false);
        expect((error as CertificateError).reason).toBe(failure.reason);
        expect((error as CertificateError).host).toBe(new URL(target.url).host);
        expect((error as NetworkError).errorCode).toBe(failure.code);
        expect((error as Error).message).toContain(failure.text);
      });
    }

    it("keeps credentials out of error output", async () => {
      const closed = await startHttpsServer(() => {});
      await closed.close();
      const secret = "s3cr3t-access-token";

      const error = await transport()
        .request({
          method: "GET",
          url: `${closed.url}/core/v4/users?access_token=${secret}`,
          headers: { authorization: `Bearer ${secret}` },
        })
        .catch((caught: unknown) => caught);

      expect(NetworkError.isInstance(error)).toBe(true);
      expect((error as Error).message).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain(secret);
      expect(JSON.stringify((error as NetworkError).toJSON())).toContain("[REDACTED]");
    });
  });
}

function catchSync(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw");
}
