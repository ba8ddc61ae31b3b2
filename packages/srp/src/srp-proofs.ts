import { bigIntToBytes, bytesToBigInt } from "./bytes.js";
import { expandHashOf } from "./expand-hash.js";
import { GENERATOR, SRP_LENGTH } from "./srp-group.js";

/** Encodes an SRP integer as 256 little-endian bytes. */
export function toSrpBytes(value: bigint): Uint8Array {
  return bigIntToBytes(value, SRP_LENGTH);
}

/** Computes the multiplier k = H(LE(g) || LE(N)) mod N, with g first. */
export function computeMultiplier(modulus: bigint): bigint {
  return bytesToBigInt(expandHashOf(toSrpBytes(GENERATOR), toSrpBytes(modulus))) % modulus;
}

/** Computes the scrambling parameter u = H(LE(A) || LE(B)). */
export function computeScrambler(clientEphemeral: Uint8Array, serverEphemeral: Uint8Array) {
  return bytesToBigInt(expandHashOf(clientEphemeral, serverEphemeral));
}

/** Computes the client proof M1 = H(LE(A) || LE(B) || LE(S)). */
export function computeClientProof(
  clientEphemeral: Uint8Array,
  serverEphemeral: Uint8Array,
  sharedSession: Uint8Array,
): Uint8Array {
  return expandHashOf(clientEphemeral, serverEphemeral, sharedSession);
}

/** Computes the server proof M2 = H(LE(A) || M1 || LE(S)). */
export function computeServerProof(
  clientEphemeral: Uint8Array,
  clientProof: Uint8Array,
  sharedSession: Uint8Array,
): Uint8Array {
  return expandHashOf(clientEphemeral, clientProof, sharedSession);
}
