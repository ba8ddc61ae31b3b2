import { bytesToBigInt, encodeBase64 } from "./bytes.js";
import { hashPassword, SRP_SALT_LENGTH } from "./hash-password.js";
import { modPow } from "./mod-pow.js";
import { defaultRandom, randomBytes } from "./random.js";
import { GENERATOR } from "./srp-group.js";
import { toSrpBytes } from "./srp-proofs.js";
import type { Credentials, SrpOptions } from "./types.js";
import { verifyModulus } from "./verify-modulus.js";

/** Parameters of `computeVerifier`. */
export interface ComputeVerifierParams {
  /** Auth version, 0 to 4. New verifiers use 4. */
  version: number;
  password: string;
  /** The salt, base64 of 10 bytes. */
  salt: string;
  /** The account name, required for versions 0, 1 and 2. */
  username?: string;
  /** N as 256 little-endian bytes. */
  modulus: Uint8Array;
}

/** A new verifier for signup or a password change, in the fields the API expects. */
export interface SrpVerifier {
  /** Auth version of the verifier. */
  version: 4;
  /** Base64 of the 10 random salt bytes. */
  salt: string;
  /** v = g^x mod N, base64 of 256 little-endian bytes. */
  verifier: string;
}

/** Computes the SRP verifier v = g^x mod N (base64, 256 little-endian bytes). */
export async function computeVerifier(params: ComputeVerifierParams): Promise<string> {
  const x = await hashPassword(params);
  const modulus = bytesToBigInt(params.modulus);
  return encodeBase64(toSrpBytes(modPow(GENERATOR, bytesToBigInt(x), modulus)));
}

/**
 * Creates a verifier for signup or a password change: verifies the signed modulus, draws a
 * random 10-byte salt and computes the auth version 4 verifier of the password. The username
 * is not used by version 4.
 */
export async function getRandomSrpVerifier(
  info: { Modulus: string },
  credentials: Credentials,
  options: SrpOptions = {},
): Promise<SrpVerifier> {
  const modulus = await verifyModulus(
    info.Modulus,
    options.modulusKey === undefined ? {} : { modulusKey: options.modulusKey },
  );
  const salt = encodeBase64(randomBytes(options.random ?? defaultRandom, SRP_SALT_LENGTH));
  const verifier = await computeVerifier({
    version: 4,
    password: credentials.password,
    salt,
    modulus,
  });
  return { version: 4, salt, verifier };
}
