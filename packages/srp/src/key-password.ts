import { BCRYPT_SALT_LENGTH, bcryptHash } from "./bcrypt.js";
import { decodeBase64 } from "./bytes.js";
import { checkPassword } from "./hash-password.js";

/** Characters of `$2y$10$` plus the 22-character salt that start a bcrypt string. */
const BCRYPT_PREFIX_LENGTH = 29;

/**
 * Computes the passphrase that unlocks the user's private keys: bcrypt (cost 10) of the password
 * salted with the 16-byte `KeySalt` from `/core/v4/keys/salts`, without the 29-character
 * `$2y$10$<salt>` prefix (31 characters remain). Throws an `SrpError` "invalid-password" for an
 * empty password and a `TypeError` for a key salt that is not base64 of 16 bytes.
 */
export async function computeKeyPassword(password: string, keySalt: string): Promise<string> {
  checkPassword(password);
  const salt = typeof keySalt === "string" ? decodeBase64(keySalt) : undefined;
  if (salt === undefined || salt.length !== BCRYPT_SALT_LENGTH) {
    throw new TypeError(`keySalt must be base64 of ${BCRYPT_SALT_LENGTH} bytes`);
  }
  const hash = await bcryptHash(password, salt);
  return hash.slice(BCRYPT_PREFIX_LENGTH);
}
