import { TimeoutError, UnexpectedResponseError } from "@proton/errors";
import { describe, expect, it } from "vitest";
import {
  BodyCollector,
  createDeadline,
  createTransportResponse,
  encodeRequestBody,
  normalizeHeaders,
} from "../src/index.js";

const encoder = new TextEncoder();

describe("createTransportResponse", () => {
  it("decodes text and JSON", () => {
    const response = createTransportResponse({
      status: 200,
      headers: { "content-type": "application/json" },
      body: encoder.encode('{"Code":1000,"Name":"é"}'),
    });

    expect(response.text()).toBe('{"Code":1000,"Name":"é"}');
    expect(response.json()).toEqual({ Code: 1000, Name: "é" });
  });

  it("throws UnexpectedResponseError on invalid JSON", () => {
    const response = createTransportResponse({
      status: 502,
      headers: { "content-type": "text/html" },
      body: encoder.encode(`<html>${"x".repeat(500)}</html>`),
      request: { method: "get", url: "https://api.example.test/core?access_token=abc" },
    });

    let error: unknown;
    try {
      response.json();
    } catch (caught) {
      error = caught;
    }

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    const typed = error as UnexpectedResponseError;
    expect(typed.status).toBe(502);
    expect(typed.contentType).toBe("text/html");
    expect(typed.bodySnippet).toHaveLength(200);
    expect(typed.request?.url).toBe("https://api.example.test/core?access_token=[REDACTED]");
    expect(typed.cause).toBeInstanceOf(SyntaxError);
  });

  it("has an empty body by default", () => {
    const response = createTransportResponse({ status: 204, headers: {} });

    expect(response.body.byteLength).toBe(0);
    expect(response.text()).toBe("");
  });
});

describe("createDeadline", () => {
  it("aborts with TimeoutError when the deadline passes", async () => {
    const deadline = createDeadline({
      timeoutMs: 20,
      request: { method: "GET", url: "https://api.example.test/" },
    });

    await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve));

    expect(deadline.timedOut).toBe(true);
    const error = deadline.abortError();
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(20);
    expect((error as TimeoutError).request?.url).toBe("https://api.example.test/");
  });

  it("passes the caller's reason through", () => {
    const controller = new AbortController();
    const deadline = createDeadline({ timeoutMs: 10_000, signal: controller.signal });
    const reason = new Error("stop");

    controller.abort(reason);

    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(false);
    expect(deadline.abortError()).toBe(reason);
    deadline.clear();
  });

  it("calls onAbort listeners once", () => {
    const controller = new AbortController();
    const deadline = createDeadline({ signal: controller.signal });
    const calls: string[] = [];
    deadline.onAbort(() => calls.push("first"));

    controller.abort("stop");
    controller.abort("again");
    deadline.onAbort(() => calls.push("late"));

    expect(calls).toEqual(["first", "late"]);
    expect(deadline.aborted).toBe(true);
  });

  it("creates an aborted signal after the abort", () => {
    const controller = new AbortController();
    const deadline = createDeadline({ signal: controller.signal });

    controller.abort("stop");

    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe("stop");
  });

  it("starts aborted for an aborted signal", () => {
    const deadline = createDeadline({ timeoutMs: 10, signal: AbortSignal.abort("gone") });

    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.abortError()).toBe("gone");
  });

  it("returns undefined while nothing aborted", () => {
    const deadline = createDeadline({ timeoutMs: 10_000 });

    expect(deadline.abortError()).toBeUndefined();
    deadline.clear();
  });

  it("never fires after clear", async () => {
    const deadline = createDeadline({ timeoutMs: 10 });
    deadline.clear();

    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(deadline.signal.aborted).toBe(false);
  });

  it("treats 0 as no deadline", async () => {
    const deadline = createDeadline({ timeoutMs: 0 });

    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(deadline.signal.aborted).toBe(false);
  });

  it("rejects a negative deadline", () => {
    expect(() => createDeadline({ timeoutMs: -5 })).toThrow(RangeError);
    expect(() => createDeadline({ timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
  });
});

describe("encodeRequestBody", () => {
  it("encodes an object as JSON", () => {
    expect(encodeRequestBody({ a: 1 }, { "x-pm-uid": "u" })).toEqual({
      body: '{"a":1}',
      headers: { "x-pm-uid": "u", "content-type": "application/json" },
    });
  });

  it("keeps the caller's content type", () => {
    const encoded = encodeRequestBody({ a: 1 }, { "Content-Type": "application/vnd.test+json" });

    expect(encoded.headers).toEqual({ "Content-Type": "application/vnd.test+json" });
  });

  it("sends bytes and strings as they are", () => {
    const bytes = new Uint8Array([1, 2, 3]);

    expect(encodeRequestBody(bytes, undefined)).toEqual({ body: bytes, headers: {} });
    expect(encodeRequestBody("raw", undefined)).toEqual({ body: "raw", headers: {} });
  });

  it("sends no body for undefined and null", () => {
    expect(encodeRequestBody(undefined, undefined).body).toBeUndefined();
    expect(encodeRequestBody(null, undefined).body).toBeUndefined();
  });
});

describe("BodyCollector", () => {
  it("joins chunks", () => {
    const collector = new BodyCollector({ status: 200 });
    collector.push(new Uint8Array([1, 2]));
    collector.push(new Uint8Array([3]));

    expect(collector.finish()).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("returns a plain Uint8Array for one Buffer chunk", () => {
    const collector = new BodyCollector({ status: 200 });
    collector.push(Buffer.from([1, 2, 3]));

    const body = collector.finish();

    expect(Buffer.isBuffer(body)).toBe(false);
    expect(body).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("throws past the limit", () => {
    const collector = new BodyCollector({ status: 500, contentType: "text/plain", maxBytes: 3 });
    collector.push(new Uint8Array(3));

    let error: unknown;
    try {
      collector.push(new Uint8Array(1));
    } catch (caught) {
      error = caught;
    }

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(500);
    expect((error as Error).message).toContain("3-byte limit");
  });
});

describe("normalizeHeaders", () => {
  it("lower-cases names and joins repeats", () => {
    expect(
      normalizeHeaders([
        ["Content-Type", "application/json"],
        ["Set-Cookie", ["a=1", "b=2"]],
        ["X-Two", "1"],
        ["x-two", "2"],
        ["X-None", undefined],
      ]),
    ).toEqual({ "content-type": "application/json", "set-cookie": "a=1, b=2", "x-two": "1, 2" });
  });
});
