/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), with the parameters Proton
 * accepts for its second factor: HMAC-SHA-1, a 30-second step and 6 digits.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { decodeBase32 } from "./base32.js";

export interface TotpOptions {
  /** The moment to compute the code for, in milliseconds since the Unix epoch. Default: now. */
  time?: number | undefined;
  /** Length of the code, 6 to 10 digits. Default 6. */
  digits?: number | undefined;
  /** Time step in seconds. Default 30. */
  period?: number | undefined;
}

/**
 * Generates the TOTP code for a base32 `secret` (as shown under an authenticator QR code) at
 * `options.time`, for unattended logins: `session.provide2FA(generateTotp(secret))`.
 */
export function generateTotp(secret: string, options: TotpOptions = {}): string {
  const key = decodeBase32(secret);
  if (key.length === 0) {
    throw new RangeError("Invalid TOTP secret: it is empty.");
  }

  const time = options.time ?? Date.now();
  const digits = options.digits ?? 6;
  const period = options.period ?? 30;
  if (!Number.isFinite(time) || time < 0) {
    throw new RangeError(`Invalid TOTP time: ${time}. Pass milliseconds since the Unix epoch.`);
  }
  if (!Number.isInteger(digits) || digits < 6 || digits > 10) {
    throw new RangeError(`Invalid TOTP length: ${digits}. Use 6 to 10 digits.`);
  }
  if (!Number.isInteger(period) || period <= 0) {
    throw new RangeError(`Invalid TOTP period: ${period}. Use a positive number of seconds.`);
  }

  const counter = Math.floor(time / 1000 / period);
  return generateHotp(key, counter, digits);
}

/** HOTP (RFC 4226, section 5.3): dynamic truncation of HMAC-SHA-1 over the 8-byte counter. */
function generateHotp(key: Uint8Array, counter: number, digits: number): string {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(counter));

  const mac = hmac(sha1, key, message);
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary =
    (((mac[offset] ?? 0) & 0x7f) << 24) |
    ((mac[offset + 1] ?? 0) << 16) |
    ((mac[offset + 2] ?? 0) << 8) |
    (mac[offset + 3] ?? 0);

  const code = binary % 10 ** digits;
  return code.toString().padStart(digits, "0");
}
