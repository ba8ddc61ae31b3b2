/** A source of cryptographically secure random bytes. Tests inject a fixed one. */
export type RandomSource = (length: number) => Uint8Array;

/** `crypto.getRandomValues`, in chunks of 65536 bytes (its per-call limit). */
export const defaultRandom: RandomSource = (length) => {
  const bytes = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    globalThis.crypto.getRandomValues(bytes.subarray(offset, Math.min(offset + 65536, length)));
  }
  return bytes;
};

/** Calls `random` and checks that it returned `length` bytes. */
export function randomBytes(random: RandomSource, length: number): Uint8Array {
  const bytes = random(length);
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new TypeError(`The random source must return a Uint8Array of ${length} bytes`);
  }
  return bytes;
}
