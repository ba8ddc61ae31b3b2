import { createHash, randomBytes } from "node:crypto";

/** Source of random bytes; `startFakeApi` takes one for deterministic tests. */
export type RandomSource = (length: number) => Uint8Array;

export const defaultRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));

/** Returns 20 random bytes as 32 lower-case base32 characters, the shape of Proton's tokens. */
export function randomToken(random: RandomSource): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const bytes = random(20);
  let text = "";
  let buffer = 0;
  let bits = 0;

  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += alphabet[(buffer >>> bits) & 31];
    }
  }
  return text;
}

/** Returns 32 random bytes in base64url, the shape of Proton's object IDs. */
export function randomId(random: RandomSource): string {
  return Buffer.from(random(32)).toString("base64url");
}

export function randomHex(random: RandomSource, bytes: number): string {
  return Buffer.from(random(bytes)).toString("hex");
}

/** Returns the SHA-256 of a token in hex; the store keeps these instead of the tokens. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Returns the first 8 hex digits of a token's SHA-256, enough to tell tokens apart in logs. */
export function tokenId(token: string): string {
  return hashToken(token).slice(0, 8);
}
