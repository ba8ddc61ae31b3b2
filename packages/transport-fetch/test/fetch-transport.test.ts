import { NetworkError, UnexpectedResponseError } from "@proton/errors";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Handler,
  sendJson,
  startHttpServer,
  startHttpsServer,
  type TestServer,
} from "../../transport/test/support/servers.js";
import { createFetchTransport } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

async function httpServer(handler: Handler): Promise<TestServer & { requests: number }> {
  let requests = 0;
  const started = await startHttpServer((request, response) => {
    requests++;
    handler(request, response);
  });
  cleanups.push(() => started.close());
  return Object.defineProperty(started, "requests", { get: () => requests }) as TestServer & {
    requests: number;
  };
}

describe("createFetchTransport", () => {
  it("uses the global fetch by default", async () => {
    const target = await httpServer((_request, response) =>
      sendJson(response, 200, { Code: 1000 }),
    );

    const response = await createFetchTransport().request({ method: "GET", url: target.url });

    expect(response.json()).toEqual({ Code: 1000 });
  });

  it("calls the injected fetch once", async () => {
    const target = await httpServer((_request, response) => sendJson(response, 200, {}));
    const calls: string[] = [];
    const transport = createFetchTransport({
      fetch: (input, init) => {
        calls.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      },
    });

    await transport.request({ method: "GET", url: `${target.url}/tests/ping` });

    expect(calls).toEqual([`${target.url}/tests/ping`]);
  });

  it("returns a 503 without retrying", async () => {
    const target = await httpServer((_request, response) => {
      response.setHeader("retry-after", "1");
      sendJson(response, 503, { Code: 503 });
    });

    const response = await createFetchTransport().request({ method: "POST", url: target.url });

    expect(response.status).toBe(503);
    expect(response.headers["retry-after"]).toBe("1");
    expect(target.requests).toBe(1);
  });

  it("asks fetch not to follow redirects", async () => {
    const target = await httpServer((_request, response) => sendJson(response, 200, {}));
    const modes: (string | undefined)[] = [];
    const transport = createFetchTransport({
      fetch: (input, init) => {
        modes.push(input instanceof Request ? input.redirect : init?.redirect);
        return fetch(input, init);
      },
    });

    await transport.request({ method: "GET", url: target.url });

    expect(modes).toEqual(["manual"]);
  });

  it("rejects a browser's opaque redirect", async () => {
    const target = await httpServer((_request, response) => {
      response.writeHead(307, { location: "http://127.0.0.1:1/collect" });
      response.end();
    });
    // Browsers return a filtered response for a manual redirect: type "opaqueredirect",
    // status 0 and no headers. Node's fetch returns the 3xx itself, so the real response is
    // given those two properties here.
    const transport = createFetchTransport({
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        Object.defineProperty(response, "type", { value: "opaqueredirect" });
        Object.defineProperty(response, "status", { value: 0 });
        return response;
      },
    });

    const error = await transport
      .request({ method: "POST", url: `${target.url}/auth/v4/refresh`, body: {} })
      .catch((caught: unknown) => caught);

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(0);
    expect((error as Error).message).toContain(
      "with a redirect, which this transport does not follow",
    );
  });

  it("caps non-2xx bodies at 1 MiB by default", async () => {
    const target = await httpServer((_request, response) => {
      response.writeHead(500, { "content-type": "text/html" });
      response.write(Buffer.alloc(1024 * 1024, 0x61));
      response.end("b");
    });

    const error = await createFetchTransport()
      .request({ method: "GET", url: target.url })
      .catch((caught: unknown) => caught);

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(500);
    expect((error as Error).message).toContain(`${1024 * 1024}-byte limit`);
  });

  it("caps non-2xx bodies at maxErrorBodyBytes", async () => {
    const target = await httpServer((_request, response) => {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end("x".repeat(4096));
    });
    const transport = createFetchTransport({ maxErrorBodyBytes: 1024 });

    const error = await transport
      .request({ method: "GET", url: target.url, maxBodyBytes: 8192 })
      .catch((caught: unknown) => caught);

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("1024-byte limit");
  });

  it("leaves 2xx bodies uncapped by maxErrorBodyBytes", async () => {
    const large = "x".repeat(4096);
    const target = await httpServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(large);
    });
    const transport = createFetchTransport({ maxErrorBodyBytes: 1024 });

    const response = await transport.request({ method: "GET", url: target.url });

    expect(response.text()).toBe(large);
  });

  it("rejects an untrusted certificate", async () => {
    const target = await startHttpsServer((_request, response) => sendJson(response, 200, {}));
    cleanups.push(() => target.close());

    const error = await createFetchTransport()
      .request({ method: "GET", url: target.url })
      .catch((caught: unknown) => caught);

    expect(NetworkError.isInstance(error)).toBe(true);
    expect((error as NetworkError).errorCode).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });

  it("rejects a relative URL", async () => {
    const error = await createFetchTransport()
      .request({ method: "GET", url: "/core/v4/users" })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain("absolute");
  });

  it("rejects invalid options", () => {
    expect(() => createFetchTransport({ timeoutMs: -1 })).toThrow(RangeError);
    expect(() => createFetchTransport({ fetch: "fetch" as unknown as typeof fetch })).toThrow(
      TypeError,
    );
    expect(() => createFetchTransport({ maxErrorBodyBytes: -1 })).toThrow(
      "maxErrorBodyBytes must be a number >= 0, got -1.",
    );
  });
});
