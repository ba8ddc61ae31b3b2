import bcryptjs from "bcryptjs";

/** bcrypt cost (log2 of the rounds) that Proton uses for login and key passwords. */
export const BCRYPT_COST = 10;

/** Length of bcrypt's salt in bytes. */
export const BCRYPT_SALT_LENGTH = 16;

/** Encodes bytes in bcrypt's base64 alphabet (`./A-Za-z0-9`, no padding). */
export function encodeBcryptBase64(bytes: Uint8Array): string {
  return bcryptjs.encodeBase64(bytes, bytes.length);
}

/**
 * Runs bcrypt (`$2y$`, cost 10) over the password's UTF-8 bytes with a 22-character salt in
 * bcrypt's base64 and returns the 60-character modular crypt string.
 *
 * bcrypt reads at most 72 bytes of the key (the password plus a terminating zero byte), so bytes
 * after the 72nd do not change the result. bcryptjs yields to the event loop about every 100 ms.
 */
export async function bcryptHash(password: string, salt22: string): Promise<string> {
  return bcryptjs.hash(password, `$2y$${BCRYPT_COST}$${salt22}`);
}
