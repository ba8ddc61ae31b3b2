import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, FakeApiInputError, startFakeApi } from "../src/index.js";
import { call, login } from "./helpers/api-client.js";

let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({ users: [{ username: "fay", password: "fay-password" }] });
});

afterAll(async () => {
  await api.close();
});

afterEach(() => {
  api.control.clearFaults();
  api.control.clearRequestLog();
});

describe("fault injection", () => {
  it("answers a status with a JSON body and Retry-After", async () => {
    api.control.injectFault({
      route: "GET /tests/ping",
      kind: "status",
      status: 503,
      retryAfter: "7",
    });
    const answer = await call(api, "GET", "/tests/ping");

    expect(answer.status).toBe(503);
    expect(answer.body["Code"]).toBe(503);
    expect(answer.headers["retry-after"]).toBe("7");
    expect(api.control.requestLog().at(-1)).toMatchObject({ status: 503, fault: "status" });
  });

  it("answers a chosen body code", async () => {
    api.control.injectFault({
      route: "POST /auth/v4/refresh",
      kind: "status",
      status: 400,
      code: 10013,
    });
    const answer = await call(api, "POST", "/auth/v4/refresh", { body: {} });

    expect(answer.status).toBe(400);
    expect(answer.body["Code"]).toBe(10013);
    expect(typeof answer.body["Error"]).toBe("string");
  });

  it("rate-limits with 429 and Retry-After", async () => {
    api.control.injectFault({ route: "* /core/v4/users", kind: "rate-limit", retryAfter: "3" });
    const answer = await call(api, "GET", "/core/v4/users");

    expect(answer.status).toBe(429);
    expect(answer.headers["retry-after"]).toBe("3");
    expect(answer.body["Code"]).toBe(429);
  });

  it("rate-limits with Retry-After 1 by default", async () => {
    api.control.injectFault({ route: "GET /tests/ping", kind: "rate-limit", code: 2028 });
    const answer = await call(api, "GET", "/tests/ping");

    expect(answer.headers["retry-after"]).toBe("1");
    expect(answer.body["Code"]).toBe(2028);
  });

  it("answers an HTML maintenance page", async () => {
    api.control.injectFault({ route: "GET /tests/ping", kind: "html" });
    const answer = await call(api, "GET", "/tests/ping");

    expect(answer.status).toBe(503);
    expect(answer.headers["content-type"]).toMatch(/^text\/html/);
    expect(answer.text).toMatch(/^<!DOCTYPE html>/);
  });

  it("answers an HTML page with a chosen status", async () => {
    api.control.injectFault({ route: "GET /tests/ping", kind: "html", status: 502 });

    expect((await call(api, "GET", "/tests/ping")).status).toBe(502);
  });

  it("answers a malformed JSON body", async () => {
    api.control.injectFault({ route: "POST /auth/v4/info", kind: "malformed" });
    const answer = await call(api, "POST", "/auth/v4/info", { body: { Username: "fay" } });

    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
  });

  it("answers JSON that is not an object", async () => {
    api.control.injectFault({ route: "GET /tests/ping", kind: "non-object" });
    const answer = await call(api, "GET", "/tests/ping");

    expect(answer.status).toBe(200);
    expect(Array.isArray(JSON.parse(answer.text))).toBe(true);
  });

  it("answers a body of the chosen size", async () => {
    api.control.injectFault({ route: "GET /tests/ping", kind: "large-body", bytes: 3_000_000 });
    const answer = await call(api, "GET", "/tests/ping");

    expect(answer.status).toBe(200);
    expect(Buffer.byteLength(answer.text)).toBe(3_000_000);
    expect(answer.headers["content-length"]).toBe("3000000");
    expect(JSON.parse(answer.text)).toMatchObject({ Code: 1000 });
  });

  it("delays and then answers normally", async () => {
    api.control.injectFault({ route: "GET /tests/ping", kind: "delay", delayMs: 200 });
    const started = performance.now();
    const answer = await call(api, "GET", "/tests/ping");

    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(answer.status).toBe(200);
    expect(api.control.requestLog().at(-1)).toMatchObject({ status: 200, fault: "delay" });
  });

  it("resets the connection", async () => {
    api.control.injectFault({ route: "GET /tests/ping", kind: "reset" });

    await expect(call(api, "GET", "/tests/ping")).rejects.toMatchObject({
      code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/),
    });
    expect(api.control.requestLog().at(-1)).toMatchObject({ status: 0, fault: "reset" });
  });

  it("resets a plain HTTP connection with a TCP reset", async () => {
    const plain = await startFakeApi({ http: true });
    try {
      plain.control.injectFault({ route: "*", kind: "reset" });
      await expect(call(plain, "GET", "/tests/ping")).rejects.toMatchObject({ code: "ECONNRESET" });
    } finally {
      await plain.close();
    }
  });

  it("hangs until the client gives up", async () => {
    api.control.injectFault({ route: "GET /tests/ping", kind: "hang" });

    await expect(call(api, "GET", "/tests/ping", { timeoutMs: 1_000 })).rejects.toThrow(
      /timed out/,
    );
    expect(api.control.requestLog().at(-1)).toMatchObject({ status: 0, fault: "hang" });
  });

  it("closes with a hanging request open", async () => {
    const hanging = await startFakeApi();
    hanging.control.injectFault({ route: "*", kind: "hang" });
    const pending = call(hanging, "GET", "/tests/ping", { timeoutMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));

    await hanging.close();
    await expect(pending).rejects.toThrow();
  });

  it("applies a fault the given number of times", async () => {
    api.control.injectFault({ route: "GET /tests/ping", kind: "status", status: 502, times: 2 });

    expect((await call(api, "GET", "/tests/ping")).status).toBe(502);
    expect((await call(api, "GET", "/tests/ping")).status).toBe(502);
    expect((await call(api, "GET", "/tests/ping")).status).toBe(200);
  });

  it("applies a fault until cleared", async () => {
    const id = api.control.injectFault({ route: "GET /tests/ping", kind: "status" });

    for (let i = 0; i < 3; i++) {
      expect((await call(api, "GET", "/tests/ping")).status).toBe(503);
    }
    api.control.clearFaults(id);
    expect((await call(api, "GET", "/tests/ping")).status).toBe(200);
  });

  it("matches the legacy path through the normalised route", async () => {
    api.control.injectFault({ route: "POST /auth/v4/info", kind: "status", status: 500 });

    expect((await call(api, "POST", "/auth/info", { body: { Username: "fay" } })).status).toBe(500);
  });

  it("normalises a legacy path in the fault route", async () => {
    api.control.injectFault({ route: "POST /auth/info/", kind: "status", status: 500 });

    expect((await call(api, "POST", "/auth/v4/info", { body: { Username: "fay" } })).status).toBe(
      500,
    );
  });

  it("matches only its method", async () => {
    api.control.injectFault({ route: "POST /tests/ping", kind: "status" });

    expect((await call(api, "GET", "/tests/ping")).status).toBe(200);
  });

  it("applies the first matching fault first", async () => {
    api.control.injectFault({ route: "* /tests/ping", kind: "status", status: 502, times: 1 });
    api.control.injectFault({ route: "*", kind: "status", status: 504, times: 1 });

    expect((await call(api, "GET", "/tests/ping")).status).toBe(502);
    expect((await call(api, "GET", "/tests/ping")).status).toBe(504);
  });

  it("leaves other routes and logins working", async () => {
    api.control.injectFault({ route: "GET /core/v4/addresses", kind: "status" });
    const session = await login(api, "fay", "fay-password");

    expect(session.response.status).toBe(200);
    expect((await call(api, "GET", "/core/v4/addresses", { headers: session.auth })).status).toBe(
      503,
    );
  });

  it.each([
    [{ route: "ping", kind: "status" }, /fault.route/],
    [{ route: "GET /tests/ping", kind: "explode" }, /fault.kind/],
    [{ route: "GET /tests/ping", kind: "delay" }, /fault.delayMs/],
    [{ route: "GET /tests/ping", kind: "status", status: 42 }, /fault.status/],
    [{ route: "GET /tests/ping", kind: "status", times: 0 }, /fault.times/],
    [{ route: "GET /tests/ping", kind: "status", retryAfter: "1\r\nx: y" }, /fault.retryAfter/],
    [{ route: "GET /tests/ping", kind: "status", time: 2 }, /fault.time: unknown field/],
  ])("rejects the invalid fault %j", (fault, message) => {
    expect(() => api.control.injectFault(fault as never)).toThrow(FakeApiInputError);
    expect(() => api.control.injectFault(fault as never)).toThrow(message);
  });
});
