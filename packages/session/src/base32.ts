const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Decodes a base32 string (RFC 4648, section 6), as authenticator apps show TOTP secrets:
 * letters in either case, with optional spaces, dashes and `=` padding. Throws `TypeError` for a
 * non-string and `RangeError` for a character outside the alphabet or an impossible length.
 */
export function decodeBase32(text: string): Uint8Array {
  if (typeof text !== "string") {
    throw new TypeError(`Expected the base32 secret as a string, got ${typeof text}.`);
  }
  const cleaned = text.replace(/[\s-]/g, "").replace(/=+$/, "").toUpperCase();

  // 8 characters carry 5 bytes; a final group of 1, 3 or 6 characters cannot end on a byte.
  const remainder = cleaned.length % 8;
  if (remainder === 1 || remainder === 3 || remainder === 6) {
    throw new RangeError(
      `Invalid base32 length: ${cleaned.length} characters cannot encode whole bytes.`,
    );
  }

  const bytes = new Uint8Array(Math.floor((cleaned.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;

  for (let position = 0; position < cleaned.length; position++) {
    const value = ALPHABET.indexOf(cleaned.charAt(position));
    if (value === -1) {
      throw new RangeError(
        `Invalid base32 character at position ${position}: use A-Z and 2-7 only.`,
      );
    }
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes;
}
