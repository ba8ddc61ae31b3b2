import { describe, expect, it } from "vitest";
import { decodeBase32, generateTotp } from "../src/index.js";
import base32Vectors from "./fixtures/rfc4648-base32.json" with { type: "json" };
import totpVectors from "./fixtures/rfc6238-totp.json" with { type: "json" };

const text = new TextDecoder();

describe("decodeBase32", () => {
  it.each(base32Vectors.vectors)(
    "decodes RFC 4648 vector $base32",
    ({ text: expected, base32 }) => {
      expect(text.decode(decodeBase32(base32))).toBe(expected);
    },
  );

  it("accepts lower case, spaces and dashes", () => {
    expect(text.decode(decodeBase32("mzxw 6ytb-oi"))).toBe("foobar");
  });

  it("rejects characters outside the alphabet", () => {
    expect(() => decodeBase32("MZXW6YT1")).toThrow(RangeError);
    expect(() => decodeBase32("MZXW6YT1")).toThrow(/position 7/);
  });

  it("rejects impossible lengths", () => {
    expect(() => decodeBase32("MZX")).toThrow(/cannot encode whole bytes/);
  });

  it("rejects a non-string", () => {
    expect(() => decodeBase32(42 as unknown as string)).toThrow(TypeError);
  });
});

describe("generateTotp", () => {
  it.each(totpVectors.vectors)("matches RFC 6238 at $unixSeconds s", ({ unixSeconds, totp }) => {
    const code = generateTotp(totpVectors.secretBase32, {
      time: unixSeconds * 1000,
      digits: totpVectors.digits,
      period: totpVectors.period,
    });
    expect(code).toBe(totp);
  });

  it("defaults to 6 digits, the last digits of the 8-digit code", () => {
    const code = generateTotp(totpVectors.secretBase32, { time: 59_000 });
    expect(code).toBe("287082");
  });

  it("keeps a code for the whole 30 s step", () => {
    const start = generateTotp(totpVectors.secretBase32, { time: 1_111_111_110_000 });
    const end = generateTotp(totpVectors.secretBase32, { time: 1_111_111_119_999 });
    const next = generateTotp(totpVectors.secretBase32, { time: 1_111_111_140_000 });
    expect(end).toBe(start);
    expect(next).not.toBe(start);
  });

  it("uses the current time by default", () => {
    const before = generateTotp(totpVectors.secretBase32, { time: Date.now() });
    const now = generateTotp(totpVectors.secretBase32);
    const after = generateTotp(totpVectors.secretBase32, { time: Date.now() });
    expect([before, after]).toContain(now);
  });

  it("rejects an empty secret", () => {
    expect(() => generateTotp("")).toThrow(/empty/);
  });

  it.each([
    [{ digits: 5 }, /6 to 10 digits/],
    [{ digits: 11 }, /6 to 10 digits/],
    [{ period: 0 }, /positive number of seconds/],
    [{ time: -1 }, /milliseconds since the Unix epoch/],
    [{ time: Number.NaN }, /milliseconds since the Unix epoch/],
  ])("rejects option %o", (options, message) => {
    expect(() => generateTotp(totpVectors.secretBase32, options)).toThrow(message);
  });
});
