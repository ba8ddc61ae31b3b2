import type { RandomSource } from "../src/random.js";

/** Decodes hex into bytes. */
export function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return bytes;
}

/** Encodes bytes as lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Decodes standard base64 into bytes. */
export function fromBase64(value: string): Uint8Array {
  return Uint8Array.from(Buffer.from(value, "base64"));
}

/** Encodes bytes as standard base64. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/**
 * A deterministic random source that returns the first `length` bytes of `bytes`, zero-padded,
 * on every call. Vectors use it to fix the client or server secret.
 */
export function fixedRandom(bytes: Uint8Array): RandomSource {
  return (length) => {
    const output = new Uint8Array(length);
    output.set(bytes.subarray(0, length));
    return output;
  };
}
