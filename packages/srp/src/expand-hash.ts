import { sha512 } from "@noble/hashes/sha2.js";

import { concatBytes } from "./bytes.js";

/**
 * Computes Proton's 2048-bit hash `H`: SHA-512(input || 0) || SHA-512(input || 1) ||
 * SHA-512(input || 2) || SHA-512(input || 3), 256 bytes. The SRP code reads the result as a
 * little-endian integer.
 */
export function expandHash(input: Uint8Array): Uint8Array {
  const output = new Uint8Array(256);
  const block = new Uint8Array(input.length + 1);
  block.set(input);
  for (let i = 0; i < 4; i++) {
    block[input.length] = i;
    output.set(sha512(block), i * 64);
  }
  return output;
}

/** Computes `H` over the concatenation of `parts`. */
export function expandHashOf(...parts: Uint8Array[]): Uint8Array {
  return expandHash(concatBytes(...parts));
}
