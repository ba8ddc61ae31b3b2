import { md5 } from "@noble/hashes/legacy.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { SrpError } from "@proton/errors";

import { BCRYPT_SALT_LENGTH, bcryptHash, decodeBcryptBase64 } from "./bcrypt.js";
import { concatBytes, decodeBase64, encodeBase64, utf8 } from "./bytes.js";
import { expandHashOf } from "./expand-hash.js";
import { SRP_LENGTH } from "./srp-group.js";

/** Auth versions this package can hash passwords for. */
export const AUTH_VERSIONS: readonly number[] = [0, 1, 2, 3, 4];

/** Length in bytes of the salt that `/auth/v4/info` sends for auth versions 3 and 4. */
export const SRP_SALT_LENGTH = 10;

/** Parameters of `hashPassword`. */
export interface HashPasswordParams {
  /** Auth version, 0 to 4. */
  version: number;
  password: string;
  /** The account salt (base64, 10 bytes), required for versions 3 and 4. */
  salt?: string;
  /** The account name, required for versions 0, 1 and 2. */
  username?: string;
  /** N as 256 little-endian bytes. */
  modulus: Uint8Array;
}

/**
 * Removes `-`, `.` and `_` from a username and lower-cases it, as auth version 2 does.
 */
export function cleanUsername(username: string): string {
  return username.replace(/[-._]/g, "").toLowerCase();
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Rejects passwords that cannot be hashed: empty ones and ones with no UTF-8 encoding. */
export function checkPassword(password: unknown): asserts password is string {
  if (typeof password !== "string") {
    throw new TypeError("password must be a string");
  }
  if (password.length === 0) {
    throw new SrpError("Password is empty. Enter the account password", {
      reason: "invalid-password",
    });
  }
  if (LONE_SURROGATE.test(password)) {
    throw new SrpError(
      "Password contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding",
      { reason: "invalid-password" },
    );
  }
}

function requireUsername(username: string | undefined, version: number): string {
  if (typeof username !== "string" || username.length === 0) {
    throw new TypeError(`username is required to hash a password for auth version ${version}`);
  }
  return username;
}

/** Decodes the 10-byte account salt of auth versions 3 and 4. */
function decodeSrpSalt(salt: string | undefined): Uint8Array {
  const bytes = typeof salt === "string" ? decodeBase64(salt) : undefined;
  if (bytes === undefined) {
    throw new SrpError("Salt is missing or not valid base64", {
      reason: "invalid-server-parameters",
    });
  }
  if (bytes.length !== SRP_SALT_LENGTH) {
    throw new SrpError(`Salt is ${bytes.length} bytes, expected ${SRP_SALT_LENGTH}`, {
      reason: "invalid-server-parameters",
    });
  }
  return bytes;
}

/** Versions 3 and 4: bcrypt salted with the 16 bytes salt || "proton". */
function hashPassword3(password: string, salt: Uint8Array): Promise<string> {
  return bcryptHash(password, concatBytes(salt, utf8("proton")));
}

/**
 * Version 1: bcrypt salted with the first 22 hex digits of MD5(lower-case username), read as
 * bcrypt base64 (16 bytes). The bcrypt string then carries the salt re-encoded in canonical
 * form, as bcryptjs in WebClients writes it, so x matches WebClients' version 1 vector.
 */
function hashPassword1(password: string, username: string): Promise<string> {
  const digest = md5(utf8(username.toLowerCase()));
  let hex = "";
  for (const byte of digest) {
    hex += byte.toString(16).padStart(2, "0");
  }
  return bcryptHash(password, decodeBcryptBase64(hex.slice(0, 22), BCRYPT_SALT_LENGTH));
}

/** Version 0: version 1 over base64(SHA-512(lower-case username || password)). */
function hashPassword0(password: string, username: string): Promise<string> {
  const prehashed = encodeBase64(sha512(utf8(username.toLowerCase() + password)));
  return hashPassword1(prehashed, username);
}

/**
 * Computes the SRP password hash x for an auth version: H(bcrypt string || N), 256 bytes.
 *
 * Versions 3 and 4 salt bcrypt with the account salt; 2 salts with the cleaned username (see
 * `cleanUsername`), 1 with the lower-cased username, and 0 pre-hashes the password with SHA-512
 * before version 1. The password is hashed as its UTF-8 bytes, and bcrypt reads only the first
 * 72 of them. Throws an `SrpError` for an empty password ("invalid-password"), an unknown
 * version ("unsupported-auth-version") or a malformed salt ("invalid-server-parameters").
 */
export async function hashPassword(params: HashPasswordParams): Promise<Uint8Array> {
  const { version, password, modulus } = params;
  checkPassword(password);
  if (!(modulus instanceof Uint8Array) || modulus.length !== SRP_LENGTH) {
    throw new TypeError(`modulus must be a Uint8Array of ${SRP_LENGTH} bytes`);
  }

  let bcryptOutput: string;
  switch (version) {
    case 4:
    case 3:
      bcryptOutput = await hashPassword3(password, decodeSrpSalt(params.salt));
      break;
    case 2:
      bcryptOutput = await hashPassword1(
        password,
        cleanUsername(requireUsername(params.username, 2)),
      );
      break;
    case 1:
      bcryptOutput = await hashPassword1(password, requireUsername(params.username, 1));
      break;
    case 0:
      bcryptOutput = await hashPassword0(password, requireUsername(params.username, 0));
      break;
    default:
      throw new SrpError(
        `Auth version ${String(version)} is not supported. Supported versions are 0 to 4`,
        { reason: "unsupported-auth-version" },
      );
  }
  return expandHashOf(utf8(bcryptOutput), modulus);
}
