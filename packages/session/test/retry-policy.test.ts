import { describe, expect, it } from "vitest";
import { RetryGate } from "../src/retry-gate.js";
import { type AttemptOutcome, decideRetry, resolveRetryOptions } from "../src/retry-policy.js";

const options = resolveRetryOptions({
  maxRetries: 3,
  maxRetryAfterMs: 10_000,
  defaultDelayMs: 500,
});

function outcome(fields: Partial<AttemptOutcome>): AttemptOutcome {
  return {
    method: "GET",
    status: 503,
    code: undefined,
    retryAfterMs: undefined,
    throttleRetries: 0,
    transientRetries: 0,
    ...fields,
  };
}

describe("decideRetry", () => {
  it.each([429, 503])("retries HTTP %i after Retry-After", (status) => {
    expect(decideRetry(outcome({ status, retryAfterMs: 2_000 }), options)).toEqual({
      retry: true,
      delayMs: 2_000,
      kind: "throttle",
    });
  });

  it("retries a throttled POST", () => {
    const decision = decideRetry(
      outcome({ method: "POST", status: 429, retryAfterMs: 0 }),
      options,
    );
    expect(decision.retry).toBe(true);
  });

  it("doubles the default delay without Retry-After", () => {
    const delays = [0, 1, 2].map((throttleRetries) => {
      const decision = decideRetry(outcome({ throttleRetries }), options);
      return decision.retry ? decision.delayMs : undefined;
    });
    expect(delays).toEqual([500, 1_000, 2_000]);
  });

  it("refuses a wait beyond maxRetryAfterMs", () => {
    const decision = decideRetry(outcome({ status: 429, retryAfterMs: 10_001 }), options);
    expect(decision).toEqual({
      retry: false,
      reason: "the wait of 10001 ms exceeds retry.maxRetryAfterMs",
    });
  });

  it.each([2011, 2028])("never retries login throttling code %i", (code) => {
    const decision = decideRetry(
      outcome({ method: "POST", status: 429, code, retryAfterMs: 1 }),
      options,
    );
    expect(decision.retry).toBe(false);
  });

  it.each([408, 502])("retries HTTP %i once for GET", (status) => {
    const first = decideRetry(outcome({ status }), options);
    const second = decideRetry(outcome({ status, transientRetries: 1 }), options);
    expect(first).toEqual({ retry: true, delayMs: 500, kind: "transient" });
    expect(second.retry).toBe(false);
  });

  it.each(["POST", "PATCH"])("does not retry a 502 for %s", (method) => {
    expect(decideRetry(outcome({ method, status: 502 }), options).retry).toBe(false);
  });

  it.each([400, 401, 404, 422, 500, 504])("does not retry HTTP %i", (status) => {
    expect(decideRetry(outcome({ status }), options).retry).toBe(false);
  });
});

describe("resolveRetryOptions", () => {
  it("fills in defaults", () => {
    expect(resolveRetryOptions()).toEqual({
      maxRetries: 3,
      maxRetryAfterMs: 60_000,
      defaultDelayMs: 1_000,
    });
  });

  it.each([{ maxRetries: -1 }, { maxRetryAfterMs: 1.5 }, { defaultDelayMs: Number.NaN }])(
    "rejects %o",
    (input) => {
      expect(() => resolveRetryOptions(input)).toThrow(/Invalid retry\.\w+: .*whole number/);
    },
  );
});

describe("RetryGate", () => {
  it("shares a budget that refill restores", () => {
    const gate = new RetryGate(2);
    expect([gate.tryTakeRetry(), gate.tryTakeRetry(), gate.tryTakeRetry()]).toEqual([
      true,
      true,
      false,
    ]);
    gate.refill();
    expect(gate.remaining).toBe(2);
  });

  it("holds requests until the pause ends", async () => {
    const gate = new RetryGate(1);
    gate.pause(60);
    const start = performance.now();
    await gate.waitForOpening(1000);
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
  });

  it("keeps the longest pause", async () => {
    const gate = new RetryGate(1);
    gate.pause(80);
    gate.pause(10);
    const start = performance.now();
    await gate.waitForOpening(1000);
    expect(performance.now() - start).toBeGreaterThanOrEqual(75);
  });

  it("ends a wait on abort", async () => {
    const gate = new RetryGate(1);
    gate.pause(60_000);
    const controller = new AbortController();
    const wait = gate.waitForOpening(120_000, controller.signal);
    controller.abort(new Error("stopped"));
    await expect(wait).rejects.toThrow("stopped");
  });

  it("returns a pause longer than the maximum wait at once", async () => {
    const gate = new RetryGate(1);
    gate.pause(60_000);
    const start = performance.now();

    const remaining = await gate.waitForOpening(1000);

    expect(remaining).toBeGreaterThan(59_000);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
