import { createHmac } from "node:crypto";

/**
 * Derives a stable SRP salt, modulus choice and verifier for a username that has no account,
 * keyed by a per-server secret. Sending these from `/auth/v4/info` makes an unknown username
 * look like an account that rejects every password, and repeated requests get the same salt.
 */
export function deriveUnknownUserSrp(
  secret: Uint8Array,
  username: string,
  moduli: readonly Uint8Array[],
): { modulusIndex: number; salt: string; verifier: string } {
  const seed = createHmac("sha256", secret).update(username.toLowerCase(), "utf8").digest();
  const modulusIndex = (seed[0] ?? 0) % moduli.length;
  const modulus = moduli[modulusIndex] ?? new Uint8Array(256);
  const exponent = createHmac("sha512", secret).update(seed).digest();

  return {
    modulusIndex,
    salt: seed.subarray(1, 11).toString("base64"),
    verifier: toLittleEndian(modPow(2n, fromLittleEndian(exponent), fromLittleEndian(modulus))),
  };
}

function fromLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) {
    value = (value << 8n) | BigInt(bytes[i] ?? 0);
  }
  return value;
}

/** Encodes a value below 2^2048 as 256 little-endian bytes, in base64. */
function toLittleEndian(value: bigint): string {
  const bytes = Buffer.alloc(256);
  let rest = value;
  for (let i = 0; i < 256; i++) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes.toString("base64");
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let factor = base % modulus;
  let rest = exponent;
  while (rest > 0n) {
    if (rest & 1n) {
      result = (result * factor) % modulus;
    }
    factor = (factor * factor) % modulus;
    rest >>= 1n;
  }
  return result;
}
