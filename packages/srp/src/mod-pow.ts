/**
 * Modular exponentiation for 2048-bit operands. Where `node:crypto` is available, OpenSSL
 * computes it (see native-mod-pow.ts). Elsewhere a BigInt ladder does: a sliding window of
 * 5 bits, and shifts for base 2. The BigInt ladder takes about 12 ms per 2048-bit exponent in
 * Node 20 (see docs/benchmarks/srp.md) and is not constant time, because BigInt arithmetic
 * takes time that depends on the operands.
 */

import { loadNativeModPow } from "./native-mod-pow.js";

const WINDOW_BITS = 5;

type ModPow = (base: bigint, exponent: bigint, modulus: bigint) => bigint;

/** The OpenSSL path once it passed its self-check, null once it failed, undefined before. */
let nativeModPow: ModPow | null | undefined;

/** An odd 2048-bit modulus (2^2048 - 159) for the self-check of the OpenSSL path. */
const CHECK_MODULUS = (1n << 2048n) - 159n;
const CHECK_BASE = (1n << 2000n) + 12345n;
const CHECK_EXPONENT = (1n << 1500n) + 67890n;

function getNativeModPow(): ModPow | null {
  if (nativeModPow === undefined) {
    nativeModPow = null;
    try {
      const candidate = loadNativeModPow();
      const expected = modPowBigInt(CHECK_BASE, CHECK_EXPONENT, CHECK_MODULUS);
      if (candidate?.(CHECK_BASE, CHECK_EXPONENT, CHECK_MODULUS) === expected) {
        nativeModPow = candidate;
      }
    } catch {
      // An OpenSSL build that rejects the key import leaves the BigInt path in use.
    }
  }
  return nativeModPow;
}

/** Tells which implementation `modPow` uses: "openssl" or "bigint". */
export function modPowImplementation(): "openssl" | "bigint" {
  return getNativeModPow() === null ? "bigint" : "openssl";
}

/** Computes `base^exponent mod modulus` for a non-negative exponent and an odd modulus above 1. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  const reduced = ((base % modulus) + modulus) % modulus;
  const native = getNativeModPow();
  if (native !== null && reduced > 1n && exponent > 1n) {
    try {
      return native(reduced, exponent, modulus);
    } catch {
      // OpenSSL may reject an unusual operand as a key; BigInt computes the same value.
    }
  }
  return modPowBigInt(reduced, exponent, modulus);
}

/** Computes `base^exponent mod modulus` with BigInt arithmetic only. */
export function modPowBigInt(base: bigint, exponent: bigint, modulus: bigint): bigint {
  const reduced = ((base % modulus) + modulus) % modulus;
  if (reduced === 2n) {
    return powerOfTwo(exponent, modulus);
  }
  return slidingWindow(reduced, exponent, modulus);
}

function slidingWindow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  // table[i] = base^(2i+1): the odd powers a window can end on.
  const table: bigint[] = [base];
  const square = (base * base) % modulus;
  for (let i = 1; i < 1 << (WINDOW_BITS - 1); i++) {
    table.push(((table[i - 1] as bigint) * square) % modulus);
  }

  const bits = exponent.toString(2);
  let result = 1n % modulus;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === "0") {
      result = (result * result) % modulus;
      i++;
      continue;
    }
    let end = Math.min(i + WINDOW_BITS, bits.length);
    while (bits[end - 1] === "0") {
      end--;
    }
    for (let j = i; j < end; j++) {
      result = (result * result) % modulus;
    }
    const window = Number.parseInt(bits.slice(i, end), 2);
    result = (result * (table[(window - 1) >> 1] as bigint)) % modulus;
    i = end;
  }
  return result;
}

/** Computes `2^exponent mod modulus`: multiplying by 2 is a shift and one subtraction. */
function powerOfTwo(exponent: bigint, modulus: bigint): bigint {
  const bits = exponent.toString(2);
  let result = 1n % modulus;
  for (let i = 0; i < bits.length; i++) {
    result = (result * result) % modulus;
    if (bits[i] === "1") {
      result <<= 1n;
      if (result >= modulus) {
        result -= modulus;
      }
    }
  }
  return result;
}
