import { describe, expect, it } from "vitest";
import { REDACTED, redactHeaders, redactUrl } from "../src/index.js";

describe("redactHeaders", () => {
  it("redacts credentials and keeps the scheme", () => {
    const redacted = redactHeaders({
      Authorization: "Bearer abcdef0123456789",
      "x-pm-uid": "uid-1",
      Cookie: "Session-Id=secret",
      "x-pm-human-verification-token": "solved",
      accept: ["application/json", "text/plain"],
      missing: undefined,
    });

    expect(redacted).toEqual({
      Authorization: `Bearer ${REDACTED}`,
      "x-pm-uid": "uid-1",
      Cookie: REDACTED,
      "x-pm-human-verification-token": REDACTED,
      accept: "application/json, text/plain",
    });
  });

  it("leaves the input unchanged", () => {
    const headers = { authorization: "Bearer token" };
    redactHeaders(headers);

    expect(headers.authorization).toBe("Bearer token");
  });
});

describe("redactUrl", () => {
  it.each([
    [
      "https://api.example/x?access_token=abc&b=2",
      `https://api.example/x?access_token=${REDACTED}&b=2`,
    ],
    ["/auth/v4?RefreshToken=abc", `/auth/v4?RefreshToken=${REDACTED}`],
    ["/a?token=1&code=2&keep=3#frag", `/a?token=${REDACTED}&code=${REDACTED}&keep=3#frag`],
    ["https://user:pass@host.example/p?q=1", `https://${REDACTED}@host.example/p?q=1`],
    ["https://host.example/core/v4/users", "https://host.example/core/v4/users"],
    ["/path?flag&x=", "/path?flag&x="],
    ["/p?%74oken=abc", `/p?%74oken=${REDACTED}`],
  ])("redacts %s", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it("handles a 100,000-character hostile input in linear time", () => {
    const hostile = [
      `https://${"@".repeat(25_000)}${"a:".repeat(12_500)}/`,
      `?${"token=&".repeat(7_000)}${"=".repeat(1_000)}`,
      "%".repeat(1_000),
    ].join("");
    expect(hostile.length).toBeGreaterThanOrEqual(100_000);

    // A regular expression with catastrophic backtracking would not return at all on this input, so returning proves the linear behaviour. The result is checked for correctness too.
    const redacted = redactUrl(hostile);
    expect(redacted.startsWith(`https://${REDACTED}@`)).toBe(true);
    expect(redacted).toContain(`token=${REDACTED}`);
  });
});
