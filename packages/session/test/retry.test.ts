import { type ApiError, RateLimitError, UnexpectedResponseError } from "@proton/errors";
import type { FakeApi } from "@proton/fake-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  catchError,
  countRoute,
  createTestSession,
  startTestApi,
  type TestSession,
} from "./helpers.js";

let api: FakeApi;
const open: TestSession[] = [];

function newSession(options: Parameters<typeof createTestSession>[1] = {}): TestSession {
  const created = createTestSession(api, options);
  open.push(created);
  return created;
}

function retryDelays(created: TestSession): unknown[] {
  return created.logger.withMessage("Retrying request").map((entry) => entry.fields?.["delayMs"]);
}

beforeAll(async () => {
  api = await startTestApi();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((created) => created.close()));
  api.control.clearFaults();
  api.control.clearRequestLog();
});

afterAll(async () => {
  await api.close();
});

describe("429 and 503", () => {
  it("waits for Retry-After seconds", async () => {
    const created = newSession();
    api.control.injectFault({
      route: "GET /tests/ping",
      kind: "rate-limit",
      retryAfter: "1",
      times: 1,
    });

    const started = Date.now();
    const reply = await created.session.apiRequest("/tests/ping");

    expect(reply.Code).toBe(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(retryDelays(created)).toEqual([1000]);
    expect(countRoute(api, "GET /tests/ping")).toBe(2);
  });

  it("waits for a Retry-After date", async () => {
    const created = newSession();
    const date = new Date(Date.now() + 2_000).toUTCString();
    api.control.injectFault({
      route: "GET /tests/ping",
      kind: "status",
      status: 503,
      retryAfter: date,
      times: 1,
    });

    await created.session.apiRequest("/tests/ping");

    const [delay] = retryDelays(created) as number[];
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(2_000);
  });

  it("doubles the default delay without Retry-After", async () => {
    const created = newSession({ retry: { defaultDelayMs: 20 } });
    api.control.injectFault({ route: "GET /tests/ping", kind: "status", status: 503, times: 3 });

    await created.session.apiRequest("/tests/ping");

    expect(retryDelays(created)).toEqual([20, 40, 80]);
  });

  it("retries a throttled POST", async () => {
    const user = await addUser(api);
    const created = newSession();
    api.control.injectFault({
      route: "POST /auth/v4/info",
      kind: "rate-limit",
      retryAfter: "0",
      times: 1,
    });

    await created.session.authenticate(user.username, user.password);

    expect(countRoute(api, "POST /auth/v4/info")).toBe(2);
  });

  it("fails at once beyond maxRetryAfterMs", async () => {
    const created = newSession({ retry: { maxRetryAfterMs: 5_000 } });
    api.control.injectFault({ route: "GET /tests/ping", kind: "rate-limit", retryAfter: "3600" });

    const error = await catchError(() => created.session.apiRequest("/tests/ping"));

    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(countRoute(api, "GET /tests/ping")).toBe(1);
  });

  it("holds later requests beyond maxRetryAfterMs", async () => {
    const created = newSession({ retry: { maxRetryAfterMs: 5_000 } });
    api.control.injectFault({ route: "GET /tests/ping", kind: "rate-limit", retryAfter: "3600" });
    await catchError(() => created.session.apiRequest("/tests/ping"));

    const later = await Promise.allSettled(
      Array.from({ length: 4 }, () => created.session.apiRequest("/tests/ping")),
    );

    for (const outcome of later) {
      expect(outcome.status).toBe("rejected");
      const reason = (outcome as PromiseRejectedResult).reason as RateLimitError;
      expect(RateLimitError.isInstance(reason)).toBe(true);
      expect(reason.retryAfterMs).toBeGreaterThan(3_590_000);
    }
    expect(countRoute(api, "GET /tests/ping")).toBe(1);
  });

  it("keeps Retry-After of an HTML 503", async () => {
    const created = newSession({ retry: { maxRetryAfterMs: 5_000 } });
    api.control.injectFault({
      route: "GET /tests/ping",
      kind: "html",
      status: 503,
      retryAfter: "120",
    });

    const error = await catchError(() => created.session.apiRequest("/tests/ping"));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).retryAfterMs).toBe(120_000);
  });

  it("stops when the budget is used up", async () => {
    const created = newSession({ retry: { maxRetries: 2 } });
    api.control.injectFault({
      route: "GET /tests/ping",
      kind: "status",
      status: 503,
      retryAfter: "0",
    });

    const error = await catchError(() => created.session.apiRequest("/tests/ping"));

    expect((error as ApiError).status).toBe(503);
    expect(countRoute(api, "GET /tests/ping")).toBe(3);
    expect(created.logger.withMessage("Retry budget used up; not retrying")).toHaveLength(1);
  });

  it("shares the budget across concurrent requests", async () => {
    const created = newSession({ retry: { maxRetries: 3 } });
    api.control.injectFault({
      route: "GET /tests/ping",
      kind: "status",
      status: 503,
      retryAfter: "1",
    });

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => created.session.apiRequest("/tests/ping")),
    );

    expect(results.every((result) => result.status === "rejected")).toBe(true);
    // 10 first attempts, then 3 retries in total, not 3 per request.
    expect(countRoute(api, "GET /tests/ping")).toBe(13);
  });

  it("holds back other requests during the pause", async () => {
    const created = newSession();
    api.control.injectFault({
      route: "GET /tests/ping",
      kind: "rate-limit",
      retryAfter: "1",
      times: 1,
    });

    const throttled = created.session.apiRequest("/tests/ping");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await created.session.apiRequest("/core/v4/keys/salts").catch(() => undefined);
    await throttled;

    const log = api.control.requestLog();
    const first = log.find((entry) => entry.route === "GET /tests/ping");
    const other = log.find((entry) => entry.route === "GET /core/v4/keys/salts");
    expect(first).toBeDefined();
    expect(other).toBeDefined();
    expect((other?.time ?? 0) - (first?.time ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("refills the budget after a success", async () => {
    const created = newSession({ retry: { maxRetries: 1 } });
    api.control.injectFault({
      route: "GET /tests/ping",
      kind: "status",
      status: 503,
      retryAfter: "0",
      times: 1,
    });
    await created.session.apiRequest("/tests/ping");
    api.control.injectFault({
      route: "GET /tests/ping",
      kind: "status",
      status: 503,
      retryAfter: "0",
      times: 1,
    });

    const reply = await created.session.apiRequest("/tests/ping");

    expect(reply.Code).toBe(1000);
  });

  it.each([2011, 2028])("never retries login throttling %i", async (code) => {
    const user = await addUser(api);
    const created = newSession();
    api.control.injectFault({ route: "POST /auth/v4", kind: "rate-limit", code, retryAfter: "0" });

    const error = await catchError(() =>
      created.session.authenticate(user.username, user.password),
    );

    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).isLoginThrottle).toBe(true);
    expect(countRoute(api, "POST /auth/v4")).toBe(1);
  });

  it("passes an abort through the wait", async () => {
    const created = newSession();
    api.control.injectFault({ route: "GET /tests/ping", kind: "rate-limit", retryAfter: "30" });
    const controller = new AbortController();

    const request = created.session.apiRequest("/tests/ping", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stopped waiting")), 100);

    await expect(request).rejects.toThrow("stopped waiting");
  });
});

describe("408 and 502", () => {
  it.each([408, 502])("retries a GET once after HTTP %i", async (status) => {
    const created = newSession({ retry: { defaultDelayMs: 10 } });
    api.control.injectFault({ route: "GET /tests/ping", kind: "status", status });

    const error = await catchError(() => created.session.apiRequest("/tests/ping"));

    expect((error as ApiError).status).toBe(status);
    expect(countRoute(api, "GET /tests/ping")).toBe(2);
  });

  it("recovers a GET after one 502", async () => {
    const created = newSession({ retry: { defaultDelayMs: 10 } });
    api.control.injectFault({ route: "GET /tests/ping", kind: "status", status: 502, times: 1 });
    const reply = await created.session.apiRequest("/tests/ping");
    expect(reply.Code).toBe(1000);
  });

  it("does not retry a POST after 502", async () => {
    const user = await addUser(api);
    const created = newSession({ retry: { defaultDelayMs: 10 } });
    api.control.injectFault({ route: "POST /auth/v4", kind: "status", status: 502 });

    const error = await catchError(() =>
      created.session.authenticate(user.username, user.password),
    );

    expect((error as ApiError).status).toBe(502);
    expect(countRoute(api, "POST /auth/v4")).toBe(1);
  });
});
