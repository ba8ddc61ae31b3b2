import { SrpError } from "@proton/errors";

import { bytesToBigInt, decodeBase64, encodeBase64, equalBytesConstantTime } from "./bytes.js";
import { hashPassword } from "./hash-password.js";
import { modPow } from "./mod-pow.js";
import { defaultRandom, type RandomSource } from "./random.js";
import { drawSecret, GENERATOR, isInOpenRange, SRP_LENGTH } from "./srp-group.js";
import {
  computeClientProof,
  computeMultiplier,
  computeScrambler,
  computeServerProof,
  toSrpBytes,
} from "./srp-proofs.js";
import type { AuthInfo, Credentials, SrpOptions } from "./types.js";
import { verifyModulus } from "./verify-modulus.js";

/** The values a client sends to `/auth/v4` and the proof it expects back. */
export interface SrpProofs {
  /** A, base64 of 256 little-endian bytes: the `ClientEphemeral` field. */
  clientEphemeral: string;
  /** M1, base64: the `ClientProof` field. */
  clientProof: string;
  /** M2, base64: compare it with the response's `ServerProof` using `verifyServerProof`. */
  expectedServerProof: string;
  /** The shared secret S as 256 little-endian bytes. Keep it out of logs. */
  sharedSession: Uint8Array;
}

function invalidServerParameters(message: string): SrpError {
  return new SrpError(message, { reason: "invalid-server-parameters" });
}

/**
 * Decodes B and checks that it is 256 bytes and in (1, N-1). Throws an `SrpError`
 * "invalid-server-parameters" otherwise.
 */
export function parseServerEphemeral(serverEphemeral: unknown, modulus: bigint): Uint8Array {
  const bytes = typeof serverEphemeral === "string" ? decodeBase64(serverEphemeral) : undefined;
  if (bytes === undefined) {
    throw invalidServerParameters("ServerEphemeral is missing or not valid base64");
  }
  if (bytes.length !== SRP_LENGTH) {
    throw invalidServerParameters(
      `ServerEphemeral is ${bytes.length} bytes, expected ${SRP_LENGTH}`,
    );
  }
  if (!isInOpenRange(bytesToBigInt(bytes), modulus)) {
    throw invalidServerParameters("ServerEphemeral is out of range: it must be in (1, N-1)");
  }
  return bytes;
}

/** Parameters of `computeSrpProofs`, the client computation after the modulus is verified. */
export interface ComputeSrpProofsParams {
  /** N as 256 little-endian bytes, already verified. */
  modulus: Uint8Array;
  /** B, base64 of 256 little-endian bytes. */
  serverEphemeral: string;
  /** x from `hashPassword`, 256 bytes. */
  hashedPassword: Uint8Array;
  random?: RandomSource;
}

/**
 * Computes the client's SRP values from a verified modulus, the server ephemeral and the hashed
 * password. Throws an `SrpError` "invalid-server-parameters" when B is malformed, not in
 * (1, N-1), or makes u zero.
 */
export function computeSrpProofs(params: ComputeSrpProofsParams): SrpProofs {
  if (!(params.modulus instanceof Uint8Array) || params.modulus.length !== SRP_LENGTH) {
    throw new TypeError(`modulus must be a Uint8Array of ${SRP_LENGTH} bytes`);
  }
  if (
    !(params.hashedPassword instanceof Uint8Array) ||
    params.hashedPassword.length !== SRP_LENGTH
  ) {
    throw new TypeError(`hashedPassword must be a Uint8Array of ${SRP_LENGTH} bytes`);
  }
  const modulus = bytesToBigInt(params.modulus);
  const serverEphemeralBytes = parseServerEphemeral(params.serverEphemeral, modulus);
  const serverEphemeral = bytesToBigInt(serverEphemeralBytes);

  const secret = drawSecret(params.random ?? defaultRandom, modulus);
  const clientEphemeralBytes = toSrpBytes(modPow(GENERATOR, secret, modulus));

  const scrambler = computeScrambler(clientEphemeralBytes, serverEphemeralBytes);
  if (scrambler === 0n) {
    throw invalidServerParameters("ServerEphemeral makes the scrambling parameter u zero");
  }

  const multiplier = computeMultiplier(modulus);
  const x = bytesToBigInt(params.hashedPassword);
  const verifier = modPow(GENERATOR, x, modulus);
  // S = (B - k*v)^(a + u*x) mod N. The group order divides N - 1, so the exponent is reduced
  // mod N - 1.
  const base = (((serverEphemeral - multiplier * verifier) % modulus) + modulus) % modulus;
  const exponent = (secret + scrambler * x) % (modulus - 1n);
  const sharedSession = toSrpBytes(modPow(base, exponent, modulus));

  const clientProof = computeClientProof(clientEphemeralBytes, serverEphemeralBytes, sharedSession);
  const serverProof = computeServerProof(clientEphemeralBytes, clientProof, sharedSession);
  return {
    clientEphemeral: encodeBase64(clientEphemeralBytes),
    clientProof: encodeBase64(clientProof),
    expectedServerProof: encodeBase64(serverProof),
    sharedSession,
  };
}

/**
 * Computes the SRP login values from an `/auth/v4/info` response and the credentials: verifies
 * the signed modulus, hashes the password for `authVersion` (default `info.Version`), draws the
 * client secret and returns A, M1, the expected M2 and S.
 *
 * Throws an `SrpError`: "invalid-modulus", "invalid-server-parameters" (malformed salt or B, B
 * out of range, u = 0), "invalid-password" (empty) or "unsupported-auth-version".
 */
export async function getSrp(
  info: AuthInfo,
  credentials: Credentials,
  authVersion: number = info.Version,
  options: SrpOptions = {},
): Promise<SrpProofs> {
  const modulus = await verifyModulus(
    info.Modulus,
    options.modulusKey === undefined ? {} : { modulusKey: options.modulusKey },
  );
  // B is checked before bcrypt runs, so a bad response fails fast.
  parseServerEphemeral(info.ServerEphemeral, bytesToBigInt(modulus));
  const hashedPassword = await hashPassword({
    version: authVersion,
    password: credentials.password,
    salt: info.Salt,
    ...(credentials.username === undefined ? {} : { username: credentials.username }),
    modulus,
  });
  return computeSrpProofs({
    modulus,
    serverEphemeral: info.ServerEphemeral,
    hashedPassword,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
}

/**
 * Compares the `ServerProof` of an `/auth/v4` response with the expected one in constant time.
 * Returns false when the proof is missing, not a string, not valid base64 or different.
 */
export function verifyServerProof(expectedServerProof: string, serverProof: unknown): boolean {
  if (typeof serverProof !== "string" || typeof expectedServerProof !== "string") {
    return false;
  }
  const expected = decodeBase64(expectedServerProof);
  const received = decodeBase64(serverProof);
  if (expected === undefined || received === undefined) {
    return false;
  }
  return equalBytesConstantTime(expected, received);
}
