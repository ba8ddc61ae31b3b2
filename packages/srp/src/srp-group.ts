import { SrpError } from "@proton/errors";

import { bytesToBigInt } from "./bytes.js";
import { modPow } from "./mod-pow.js";
import { type RandomSource, randomBytes } from "./random.js";

/** Byte length of every SRP integer on the wire: 2048 bits, little-endian. */
export const SRP_LENGTH = 256;

/** Bit length Proton requires of the modulus. */
export const MODULUS_BITS = 2048;

/** The generator g. N mod 8 == 3 makes 2 a quadratic non-residue, so it generates the whole group. */
export const GENERATOR = 2n;

/** Miller-Rabin rounds for (N-1)/2: a composite passes with probability at most 4^-20. */
const PRIMALITY_ROUNDS = 20;

/** Odd primes below 100, for trial division before Miller-Rabin. */
const SMALL_PRIMES: readonly bigint[] = [
  3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
].map(BigInt);

/** Moduli that passed the checks, so a login does not repeat the primality test. */
const checkedModuli = new Set<bigint>();
const CHECKED_MODULI_LIMIT = 16;

/** Creates the `SrpError` for a failed modulus check; `cause` keeps an OpenPGP.js error. */
export function invalidModulus(message: string, cause?: unknown): SrpError {
  return new SrpError(
    message,
    cause === undefined ? { reason: "invalid-modulus" } : { reason: "invalid-modulus", cause },
  );
}

/**
 * Checks that `modulus` is a 2048-bit safe prime with N mod 8 == 3: (N-1)/2 passes Miller-Rabin
 * and N passes Pocklington's criterion. Throws an `SrpError` with reason "invalid-modulus" that
 * names the failed check.
 */
export function checkModulus(modulus: bigint, random: RandomSource): void {
  if (checkedModuli.has(modulus)) {
    return;
  }

  const bits = modulus.toString(2).length;
  if (bits !== MODULUS_BITS) {
    throw invalidModulus(`Modulus is ${bits} bits long, but Proton requires ${MODULUS_BITS} bits`);
  }
  if (modulus % 8n !== 3n) {
    throw invalidModulus(`Modulus mod 8 is ${modulus % 8n}, but Proton requires 3`);
  }
  if (!isProbablePrime((modulus - 1n) / 2n, random)) {
    throw invalidModulus("Modulus is not a safe prime: (N-1)/2 is composite");
  }
  // With q = (N-1)/2 prime, Pocklington's criterion with witness 2 proves N prime when
  // 2^(N-1) = 1 mod N and gcd(2^2 - 1, N) = 1, that is, 3 does not divide N.
  if (modulus % 3n === 0n || modPow(2n, modulus - 1n, modulus) !== 1n) {
    throw invalidModulus("Modulus is not a safe prime: N is composite");
  }

  if (checkedModuli.size >= CHECKED_MODULI_LIMIT) {
    checkedModuli.clear();
  }
  checkedModuli.add(modulus);
}

/** Runs trial division and Miller-Rabin (base 2, then random bases) on an odd `candidate`. */
export function isProbablePrime(candidate: bigint, random: RandomSource): boolean {
  if (candidate < 2n) {
    return false;
  }
  for (const prime of SMALL_PRIMES) {
    if (candidate === prime) {
      return true;
    }
    if (candidate % prime === 0n) {
      return false;
    }
  }
  if (candidate % 2n === 0n) {
    return false;
  }

  let oddPart = candidate - 1n;
  let twos = 0;
  while (oddPart % 2n === 0n) {
    oddPart /= 2n;
    twos++;
  }

  const byteLength = Math.ceil(candidate.toString(16).length / 2);
  for (let round = 0; round < PRIMALITY_ROUNDS; round++) {
    const witness = round === 0 ? 2n : randomBelow(candidate - 3n, byteLength, random) + 2n;
    if (!passesMillerRabin(candidate, witness, oddPart, twos)) {
      return false;
    }
  }
  return true;
}

function passesMillerRabin(
  candidate: bigint,
  witness: bigint,
  oddPart: bigint,
  twos: number,
): boolean {
  const minusOne = candidate - 1n;
  let x = modPow(witness, oddPart, candidate);
  if (x === 1n || x === minusOne) {
    return true;
  }
  for (let i = 1; i < twos; i++) {
    x = (x * x) % candidate;
    if (x === minusOne) {
      return true;
    }
  }
  return false;
}

/** Draws a Miller-Rabin witness in [0, bound). The modulo bias does not weaken the test. */
function randomBelow(bound: bigint, byteLength: number, random: RandomSource): bigint {
  let value = 0n;
  for (const byte of random(byteLength)) {
    value = (value << 8n) | BigInt(byte);
  }
  return value % bound;
}

/** Tells whether `value` is in the open interval (1, modulus - 1), as SRP requires of A and B. */
export function isInOpenRange(value: bigint, modulus: bigint): boolean {
  return value > 1n && value < modulus - 1n;
}

/** Attempts at drawing a secret before the random source is declared broken. */
const MAX_SECRET_ATTEMPTS = 1000;

/** Exclusive lower bound of a secret: 2 * 2048, so that g^secret wraps around N. */
const MIN_SECRET = BigInt(2 * MODULUS_BITS);

/**
 * Draws an SRP secret (a on the client, b on the server) from 256 random bytes read as a
 * little-endian integer, and draws again until 2 * 2048 < secret < N - 1.
 */
export function drawSecret(random: RandomSource, modulus: bigint): bigint {
  for (let attempt = 0; attempt < MAX_SECRET_ATTEMPTS; attempt++) {
    const secret = bytesToBigInt(randomBytes(random, SRP_LENGTH));
    if (secret > MIN_SECRET && secret < modulus - 1n) {
      return secret;
    }
  }
  throw new RangeError(
    `The random source returned no usable SRP secret in ${MAX_SECRET_ATTEMPTS} attempts`,
  );
}
