import fc from "fast-check";
import { describe, expect, test } from "vitest";

import { modPow, modPowBigInt, modPowImplementation } from "../src/mod-pow.js";
import webClients from "./fixtures/webclients.json" with { type: "json" };
import { fromHex, toHex } from "./helpers.js";

const modulus = BigInt(`0x${toHex(fromHex(webClients.intermediates.modulus_LE_hex).reverse())}`);

/** Computes base^exponent mod modulus bit by bit, as an independent reference. */
function referenceModPow(base: bigint, exponent: bigint, mod: bigint): bigint {
  let result = 1n % mod;
  let power = ((base % mod) + mod) % mod;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) {
      result = (result * power) % mod;
    }
    power = (power * power) % mod;
  }
  return result;
}

const below = (bound: bigint) => fc.bigInt({ min: 0n, max: bound - 1n });

describe("modPow", () => {
  test("uses OpenSSL in Node", () => {
    expect(modPowImplementation()).toBe("openssl");
  });

  test("matches the reference for random operands", () => {
    fc.assert(
      fc.property(below(modulus), below(modulus), (base, exponent) => {
        const expected = referenceModPow(base, exponent, modulus);

        expect(modPow(base, exponent, modulus)).toBe(expected);
        expect(modPowBigInt(base, exponent, modulus)).toBe(expected);
      }),
      { numRuns: 25 },
    );
  });

  test.each([
    ["base 0", 0n, 5n],
    ["base 1", 1n, 5n],
    ["base 2", 2n, modulus - 2n],
    ["base N - 1, even exponent", modulus - 1n, 4n],
    ["base N - 1, odd exponent", modulus - 1n, 3n],
    ["exponent 0", 12345n, 0n],
    ["exponent 1", 12345n, 1n],
    ["exponent N - 1", 12345n, modulus - 1n],
    ["exponent above N", 12345n, modulus * 3n + 7n],
    ["base above N", modulus + 3n, 65537n],
  ])("handles %s", (_name, base, exponent) => {
    const expected = referenceModPow(base, exponent, modulus);

    expect(modPow(base, exponent, modulus)).toBe(expected);
    expect(modPowBigInt(base, exponent, modulus)).toBe(expected);
  });
});
