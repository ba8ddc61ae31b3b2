/**
 * TOTP as in RFC 6238 with the parameters authenticator apps use for Proton accounts:
 * HMAC-SHA-1, 30-second steps, 6 digits, over the HOTP truncation of RFC 4226.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { FakeApiInputError } from "./fake-api-input-error.js";

const STEP_SECONDS = 30;
const DIGITS = 6;
const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Decodes an RFC 4648 base32 secret. Case, spaces and `=` padding are ignored, as
 * authenticator apps ignore them.
 */
export function decodeBase32(secret: string): Uint8Array {
  const clean = secret.replace(/[\s=]/g, "").toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;

  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value === -1) {
      throw new FakeApiInputError("totpSecret", `"${char}" is not a base32 character (A-Z, 2-7).`);
    }
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >>> bits) & 0xff);
    }
  }
  if (bytes.length === 0) {
    throw new FakeApiInputError("totpSecret", "the secret is empty.");
  }
  return new Uint8Array(bytes);
}

/** Computes the HOTP value (RFC 4226) of `key` for `counter`, as a zero-padded decimal string. */
function hotp(key: Uint8Array, counter: number): string {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(counter));
  const mac = hmac(sha1, key, message);

  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = new DataView(mac.buffer, mac.byteOffset + offset, 4).getUint32(0) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, "0");
}

/** Generates the 6-digit TOTP code of a base32 secret at `timeMs` (default: now). */
export function generateTotp(secret: string, timeMs: number = Date.now()): string {
  return hotp(decodeBase32(secret), Math.floor(timeMs / 1000 / STEP_SECONDS));
}

/**
 * Checks a TOTP code against the current 30-second window and the windows before and after it,
 * which absorbs clock drift and a code typed at the end of its window.
 */
export function verifyTotp(secret: string, code: string, timeMs: number = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) {
    return false;
  }
  const key = decodeBase32(secret);
  const counter = Math.floor(timeMs / 1000 / STEP_SECONDS);
  let matched = false;

  // Every window is computed and compared, so the time taken does not tell which one matched.
  for (const candidate of [counter - 1, counter, counter + 1]) {
    matched = constantTimeEqual(hotp(key, candidate), code) || matched;
  }
  return matched;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) {
    return false;
  }
  let difference = 0;
  for (let i = 0; i < a.length; i++) {
    difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  }
  return difference === 0;
}
