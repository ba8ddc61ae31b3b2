import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../src/index.js";

const now = Date.parse("2026-12-04T12:00:00Z");

describe("parseRetryAfter", () => {
  it.each([
    ["0", 0],
    ["1", 1000],
    ["120", 120_000],
    [" 5 ", 5000],
    ["007", 7000],
  ])("reads %j seconds", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it("reads an HTTP date in the future", () => {
    expect(parseRetryAfter("Fri, 04 Dec 2026 12:00:30 GMT", now)).toBe(30_000);
  });

  it("reads an HTTP date in the past as zero", () => {
    expect(parseRetryAfter("Fri, 04 Dec 2026 11:00:00 GMT", now)).toBe(0);
  });

  it.each([
    null,
    undefined,
    "",
    "   ",
    "-5",
    "1.5",
    "1e3",
    "soon",
    "Friday",
    "12:00",
    "Fri, 99 Foo 2026 12:00:00 GMT",
  ])("ignores %j", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it("returns very large values for the caller to cap", () => {
    expect(parseRetryAfter("86400", now)).toBe(86_400_000);
    expect(parseRetryAfter("9".repeat(40), now)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
