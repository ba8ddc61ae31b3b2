/**
 * Byte helpers shared by the SRP code: strict standard base64, little-endian big integers and a
 * constant-time comparison.
 */

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encodes bytes as standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

/**
 * Decodes standard padded base64. Returns `undefined` for anything else: whitespace, the URL-safe
 * alphabet, missing padding or non-zero bits in the padding, so each input has one encoding.
 */
export function decodeBase64(value: string): Uint8Array | undefined {
  if (!BASE64_PATTERN.test(value)) {
    return undefined;
  }
  const binary = atob(value);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  if (encodeBase64(bytes) !== value) {
    return undefined;
  }
  return bytes;
}

/** Reads bytes as an unsigned little-endian integer. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = "";
  for (let i = bytes.length - 1; i >= 0; i--) {
    hex += (bytes[i] as number).toString(16).padStart(2, "0");
  }
  return hex === "" ? 0n : BigInt(`0x${hex}`);
}

/** Writes a non-negative integer as exactly `length` little-endian bytes. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  if (value < 0n) {
    throw new RangeError("Cannot encode a negative integer as unsigned bytes");
  }
  const hex = value.toString(16).padStart(length * 2, "0");
  if (hex.length > length * 2) {
    throw new RangeError(`Integer does not fit in ${length} bytes`);
  }
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const end = hex.length - i * 2;
    bytes[i] = Number.parseInt(hex.slice(end - 2, end), 16);
  }
  return bytes;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) {
    length += part.length;
  }
  const result = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they
 * differ. Lengths are public here (proofs are always 256 bytes).
 */
export function equalBytesConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    return false;
  }
  let difference = 0;
  for (let i = 0; i < a.length; i++) {
    difference |= (a[i] as number) ^ (b[i] as number);
  }
  return difference === 0;
}

const encoder = new TextEncoder();

/** Encodes a string as UTF-8. */
export function utf8(value: string): Uint8Array {
  return encoder.encode(value);
}
