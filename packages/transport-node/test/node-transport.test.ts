import { NetworkError, PinningError, TimeoutError, UnexpectedResponseError } from "@proton/errors";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Handler,
  sendJson,
  startConnectProxy,
  startHttpServer,
  startHttpsServer,
  startSilentServer,
  type TestServer,
} from "../../transport/test/support/servers.js";
import { caPem, pins } from "../../transport/test/support/tls-fixtures.js";
import {
  createNodeTransport,
  type NodeTransport,
  type NodeTransportOptions,
} from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

async function server(handler: Handler): Promise<TestServer> {
  const started = await startHttpsServer(handler);
  cleanups.push(() => started.close());
  return started;
}

function transport(options: NodeTransportOptions = {}): NodeTransport {
  const created = createNodeTransport({ ca: caPem, pins: [pins.leaf], ...options });
  cleanups.push(() => created.close());
  return created;
}

const ok: Handler = (_request, response) => sendJson(response, 200, { Code: 1000 });

describe("createNodeTransport timeouts", () => {
  it("times out a TLS handshake that never starts", async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());

    const error = await transport({ connectTimeoutMs: 150 })
      .request({ method: "GET", url: silent.url })
      .catch((caught: unknown) => caught);

    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).phase).toBe("connect");
    expect((error as TimeoutError).timeoutMs).toBe(150);
    expect((error as Error).message).toContain("timed out after 150 ms");
  });

  it("applies the request deadline during the handshake", async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const started = performance.now();

    const error = await transport({ connectTimeoutMs: 30_000 })
      .request({ method: "GET", url: silent.url, timeoutMs: 300 })
      .catch((caught: unknown) => caught);

    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).phase).toBe("total");
    expect((error as TimeoutError).timeoutMs).toBe(300);
    // Without the race against the deadline, the request waits for the 30 s connect timeout.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("passes a caller's abort during the handshake", async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    setTimeout(() => controller.abort(reason), 100);

    const error = await transport({ connectTimeoutMs: 30_000 })
      .request({ method: "GET", url: silent.url, signal: controller.signal })
      .catch((caught: unknown) => caught);

    expect(error).toBe(reason);
  });
});

describe("createNodeTransport error bodies", () => {
  const large = "x".repeat(4096);

  it("caps buffered non-2xx bodies", async () => {
    const target = await server((_request, response) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(large);
    });

    const error = await transport({ maxErrorBodyBytes: 1024 })
      .request({ method: "GET", url: target.url })
      .catch((caught: unknown) => caught);

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(500);
    expect((error as UnexpectedResponseError).contentType).toBe("text/plain");
  });

  it("caps chunked non-2xx bodies", async () => {
    const target = await server((_request, response) => {
      response.writeHead(502, { "content-type": "text/html" });
      for (let index = 0; index < 8; index++) {
        response.write("y".repeat(512));
      }
      response.end();
    });

    const error = await transport({ maxErrorBodyBytes: 1024 })
      .request({ method: "GET", url: target.url })
      .catch((caught: unknown) => caught);

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(502);
  });

  it("buffers a non-2xx body within the cap", async () => {
    const target = await server((_request, response) => {
      sendJson(response, 422, { Code: 8002, Error: "Incorrect login credentials" });
    });

    const response = await transport({ maxErrorBodyBytes: 1024 }).request({
      method: "POST",
      url: target.url,
    });

    expect(response.status).toBe(422);
    expect(response.json()).toEqual({ Code: 8002, Error: "Incorrect login credentials" });
  });

  it("leaves 2xx bodies uncapped by maxErrorBodyBytes", async () => {
    const target = await server((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(large);
    });

    const response = await transport({ maxErrorBodyBytes: 1024 }).request({
      method: "GET",
      url: target.url,
    });

    expect(response.text()).toBe(large);
  });
});

describe("createNodeTransport body limits", () => {
  const large = "x".repeat(4096);
  const sendLarge: Handler = (_request, response) => {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(large);
  };

  it("caps 2xx bodies at 64 MiB by default", async () => {
    const megabyte = Buffer.alloc(1024 * 1024, 0x61);
    const target = await server(async (_request, response) => {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      for (let index = 0; index < 64; index++) {
        if (!response.write(megabyte)) {
          await new Promise((resolve) => response.once("drain", resolve));
        }
      }
      response.end("b");
    });

    const error = await transport()
      .request({ method: "GET", url: target.url })
      .catch((caught: unknown) => caught);

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(200);
    expect((error as Error).message).toContain(`${64 * 1024 * 1024}-byte limit`);
  });

  it("caps 2xx bodies at maxBodyBytes", async () => {
    const target = await server(sendLarge);

    const error = await transport({ maxBodyBytes: 1024 })
      .request({ method: "GET", url: target.url })
      .catch((caught: unknown) => caught);

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("1024-byte limit");
  });

  it("lets request.maxBodyBytes raise the cap", async () => {
    const target = await server(sendLarge);

    const response = await transport({ maxBodyBytes: 1024 }).request({
      method: "GET",
      url: target.url,
      maxBodyBytes: 8192,
    });

    expect(response.text()).toBe(large);
  });

  it("streams bodies past maxBodyBytes", async () => {
    const target = await server(sendLarge);

    const response = await transport({ maxBodyBytes: 1024 }).request({
      method: "GET",
      url: target.url,
      stream: true,
    });

    expect(await new Response(response.stream).text()).toBe(large);
  });

  it("rejects a negative maxBodyBytes", () => {
    expect(() => createNodeTransport({ maxBodyBytes: -1 })).toThrow(
      "maxBodyBytes must be a number >= 0, got -1.",
    );
  });
});

describe("createNodeTransport proxy", () => {
  it("tunnels through an explicit proxy", async () => {
    const target = await server(ok);
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());

    const response = await transport({ proxy: proxy.url }).request({
      method: "GET",
      url: `${target.url}/tests/ping`,
    });

    expect(response.status).toBe(200);
    expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
  });

  it("sends the proxy URL's credentials", async () => {
    const target = await server(ok);
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());
    const proxyUrl = proxy.url.replace("http://", "http://bench:pa55word@");

    const response = await transport({ proxy: proxyUrl }).request({
      method: "GET",
      url: target.url,
    });

    expect(response.status).toBe(200);
    expect(proxy.authorizations).toEqual([
      `Basic ${Buffer.from("bench:pa55word").toString("base64")}`,
    ]);
  });

  it("checks the origin's pin through the proxy", async () => {
    const target = await server(ok);
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());

    const error = await transport({ proxy: proxy.url, pins: [pins.rotated] })
      .request({ method: "GET", url: target.url })
      .catch((caught: unknown) => caught);

    expect(PinningError.isInstance(error)).toBe(true);
    expect((error as PinningError).servedPins).toContain(pins.leaf);
    expect(proxy.tunnels).toHaveLength(1);
  });

  describe("with proxy: env", () => {
    const saved = { ...process.env };

    afterEach(() => {
      for (const name of ["HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"]) {
        if (saved[name] === undefined) {
          delete process.env[name];
        } else {
          process.env[name] = saved[name];
        }
      }
    });

    it("uses HTTPS_PROXY", async () => {
      const target = await server(ok);
      const proxy = await startConnectProxy();
      cleanups.push(() => proxy.close());
      process.env["HTTPS_PROXY"] = proxy.url;
      delete process.env["https_proxy"];
      delete process.env["NO_PROXY"];
      delete process.env["no_proxy"];

      const response = await transport({ proxy: "env" }).request({
        method: "GET",
        url: target.url,
      });

      expect(response.status).toBe(200);
      expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
    });

    it("bypasses the proxy for NO_PROXY hosts", async () => {
      const target = await server(ok);
      const proxy = await startConnectProxy();
      cleanups.push(() => proxy.close());
      process.env["HTTPS_PROXY"] = proxy.url;
      process.env["NO_PROXY"] = "127.0.0.1";
      delete process.env["https_proxy"];
      delete process.env["no_proxy"];

      const response = await transport({ proxy: "env" }).request({
        method: "GET",
        url: target.url,
      });

      expect(response.status).toBe(200);
      expect(proxy.tunnels).toEqual([]);
    });
  });
});

describe("createNodeTransport options", () => {
  it("rejects pins with pinning off", () => {
    expect(() => createNodeTransport({ pinning: false, pins: [pins.leaf] })).toThrow(TypeError);
    expect(() => createNodeTransport({ pinning: false, pins: [pins.leaf] })).toThrow(
      "pinning: false and pins contradict each other",
    );
  });

  it("rejects a pinning value that is not a boolean", () => {
    for (const value of [0, 1, "false", null]) {
      const options = { pinning: value } as unknown as NodeTransportOptions;

      expect(() => createNodeTransport(options)).toThrow(TypeError);
      expect(() => createNodeTransport(options)).toThrow("pinning must be true or false");
    }
  });

  it("rejects an invalid pin", () => {
    expect(() => createNodeTransport({ pins: ["not-a-pin"] })).toThrow(TypeError);
    expect(() => createNodeTransport({ pins: ["not-a-pin"] })).toThrow(/pins\[0\]/);
  });

  it("rejects a proxy that is not a URL", () => {
    expect(() => createNodeTransport({ proxy: "proxy.local:8080" })).toThrow(TypeError);
  });

  it("accepts ca as bytes or a list", async () => {
    const target = await server(ok);
    const asBytes = transport({ ca: new TextEncoder().encode(caPem) });
    const asList = transport({ ca: [caPem] });

    const first = await asBytes.request({ method: "GET", url: target.url });
    const second = await asList.request({ method: "GET", url: target.url });

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
  });

  it("rejects a ca that is not PEM", () => {
    expect(() => createNodeTransport({ ca: "not a certificate" })).toThrow(/ca\[0\]/);
  });

  it("rejects a negative timeout", () => {
    expect(() => createNodeTransport({ timeoutMs: -1 })).toThrow(RangeError);
  });

  it("rejects a relative request URL", async () => {
    const error = await transport()
      .request({ method: "GET", url: "/core/v4/users" })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain("absolute");
  });

  it("redacts a token in an invalid URL", async () => {
    const error = await transport()
      .request({ method: "GET", url: "/core/v4/users?access_token=s3cr3t" })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).not.toContain("s3cr3t");
  });

  it("redacts proxy credentials in errors", () => {
    expect(() => createNodeTransport({ proxy: "user:s3cr3t@proxy" })).toThrow(TypeError);
    expect(() => createNodeTransport({ proxy: "user:s3cr3t@proxy" })).not.toThrow(/s3cr3t/);
  });

  it("rejects requests after close", async () => {
    const target = await server(ok);
    const client = transport();
    await client.request({ method: "GET", url: target.url });

    await client.close();
    const error = await client
      .request({ method: "GET", url: target.url })
      .catch((caught: unknown) => caught);

    expect(NetworkError.isInstance(error)).toBe(true);
    expect((error as NetworkError).message).toContain("closed");
    expect((error as NetworkError).message).toContain("createNodeTransport()");
    expect((error as NetworkError).request).toEqual({ method: "GET", url: target.url });
  });

  it("rejects plain http with pinning on", async () => {
    const plain = await startHttpServer(ok);
    cleanups.push(() => plain.close());

    const error = await transport()
      .request({ method: "GET", url: plain.url })
      .catch((caught: unknown) => caught);

    expect(PinningError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("plain http:");
    expect(plain.connections).toBe(0);
  });

  it("serves plain http with pinning off", async () => {
    const plain = await startHttpServer(ok);
    cleanups.push(() => plain.close());

    const client = createNodeTransport({ pinning: false });
    cleanups.push(() => client.close());

    const response = await client.request({ method: "GET", url: plain.url });

    expect(response.status).toBe(200);
  });

  it("maps a plain-http answer on a TLS port to NetworkError", async () => {
    const plain = await startHttpServer(ok);
    cleanups.push(() => plain.close());

    const error = await transport()
      .request({ method: "GET", url: plain.url.replace("http:", "https:") })
      .catch((caught: unknown) => caught);

    expect(NetworkError.isInstance(error)).toBe(true);
  });
});
