import { SrpError } from "@proton/errors";

import { bytesToBigInt, decodeBase64, encodeBase64, equalBytesConstantTime } from "./bytes.js";
import { modPow } from "./mod-pow.js";
import { defaultRandom, type RandomSource } from "./random.js";
import { drawSecret, GENERATOR, isInOpenRange, MODULUS_BITS, SRP_LENGTH } from "./srp-group.js";
import {
  computeClientProof,
  computeMultiplier,
  computeScrambler,
  computeServerProof,
  toSrpBytes,
} from "./srp-proofs.js";

/** Parameters of `createSrpServerSession`. */
export interface SrpServerSessionParams {
  /** N as 256 little-endian bytes. */
  modulus: Uint8Array;
  /** The account's verifier v, base64 of 256 little-endian bytes. */
  verifier: string;
  /** Random byte source for the server secret b (default: `crypto.getRandomValues`). */
  random?: RandomSource;
}

/** One server-side SRP exchange. */
export interface SrpServerSession {
  /** B = (k*v + g^b) mod N, base64 of 256 little-endian bytes: the `ServerEphemeral` field. */
  serverEphemeral: string;
  /**
   * Checks the client's A and M1 and returns the server proof M2 (base64). Throws an `SrpError`
   * "invalid-client-parameters" for a malformed or out-of-range A or a malformed M1, and
   * "client-proof-mismatch" when M1 is wrong (a wrong password). A session checks one proof:
   * a second call throws "invalid-client-parameters".
   */
  checkClientProof(clientEphemeral: string, clientProof: string): Promise<string>;
}

function invalidClientParameters(message: string): SrpError {
  return new SrpError(message, { reason: "invalid-client-parameters" });
}

function decodeSrpInteger(value: unknown, name: string): Uint8Array {
  const bytes = typeof value === "string" ? decodeBase64(value) : undefined;
  if (bytes === undefined) {
    throw invalidClientParameters(`${name} is missing or not valid base64`);
  }
  if (bytes.length !== SRP_LENGTH) {
    throw invalidClientParameters(`${name} is ${bytes.length} bytes, expected ${SRP_LENGTH}`);
  }
  return bytes;
}

/**
 * Starts the server side of Proton's SRP exchange for an account's verifier: draws the secret b
 * and computes B. The modulus is not signature-checked here, but it must be 2048 bits and 3 mod 8,
 * and the verifier must be in (1, N-1), or a `RangeError` is thrown.
 */
export async function createSrpServerSession(
  params: SrpServerSessionParams,
): Promise<SrpServerSession> {
  if (!(params.modulus instanceof Uint8Array) || params.modulus.length !== SRP_LENGTH) {
    throw new TypeError(`modulus must be a Uint8Array of ${SRP_LENGTH} bytes`);
  }
  const modulus = bytesToBigInt(params.modulus);
  if (modulus.toString(2).length !== MODULUS_BITS || modulus % 8n !== 3n) {
    throw new RangeError("modulus must be a 2048-bit integer with N mod 8 == 3");
  }
  const verifierBytes =
    typeof params.verifier === "string" ? decodeBase64(params.verifier) : undefined;
  if (verifierBytes === undefined || verifierBytes.length !== SRP_LENGTH) {
    throw new TypeError(`verifier must be base64 of ${SRP_LENGTH} bytes`);
  }
  const verifier = bytesToBigInt(verifierBytes);
  if (!isInOpenRange(verifier, modulus)) {
    throw new RangeError("verifier must be in (1, N-1)");
  }

  const multiplier = computeMultiplier(modulus);
  const random = params.random ?? defaultRandom;
  let secret: bigint;
  let serverEphemeral: bigint;
  do {
    secret = drawSecret(random, modulus);
    serverEphemeral = (multiplier * verifier + modPow(GENERATOR, secret, modulus)) % modulus;
  } while (!isInOpenRange(serverEphemeral, modulus));
  const serverEphemeralBytes = toSrpBytes(serverEphemeral);

  let used = false;
  return {
    serverEphemeral: encodeBase64(serverEphemeralBytes),
    async checkClientProof(clientEphemeral, clientProof) {
      if (used) {
        throw invalidClientParameters(
          "This SRP server session already checked a proof. Start a new session",
        );
      }
      used = true;

      const clientEphemeralBytes = decodeSrpInteger(clientEphemeral, "ClientEphemeral");
      const clientProofBytes = decodeSrpInteger(clientProof, "ClientProof");
      const clientEphemeralValue = bytesToBigInt(clientEphemeralBytes);
      if (!isInOpenRange(clientEphemeralValue, modulus)) {
        throw invalidClientParameters("ClientEphemeral is out of range: it must be in (1, N-1)");
      }
      const scrambler = computeScrambler(clientEphemeralBytes, serverEphemeralBytes);
      if (scrambler === 0n) {
        throw invalidClientParameters("ClientEphemeral makes the scrambling parameter u zero");
      }

      // S = (A * v^u)^b mod N.
      const base = (clientEphemeralValue * modPow(verifier, scrambler, modulus)) % modulus;
      const sharedSession = toSrpBytes(modPow(base, secret, modulus));

      const expectedProof = computeClientProof(
        clientEphemeralBytes,
        serverEphemeralBytes,
        sharedSession,
      );
      if (!equalBytesConstantTime(expectedProof, clientProofBytes)) {
        throw new SrpError("Client proof does not match: the password is wrong", {
          reason: "client-proof-mismatch",
        });
      }
      return encodeBase64(
        computeServerProof(clientEphemeralBytes, clientProofBytes, sharedSession),
      );
    },
  };
}
