import { readCleartextMessage, readKey, verify } from "openpgp";

import { bytesToBigInt, decodeBase64 } from "./bytes.js";
import { PROTON_MODULUS_KEY } from "./modulus-key.js";
import { defaultRandom } from "./random.js";
import { checkModulus, invalidModulus, SRP_LENGTH } from "./srp-group.js";

const BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
const BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
const END_SIGNATURE = "-----END PGP SIGNATURE-----";

/**
 * Moduli that passed every check, by signing key and armored text. The result of a check is a
 * function of those two strings, and the API serves few moduli, so a login skips the signature
 * check (about 2 ms) after the first one.
 */
const verifiedModuli = new Map<string, Uint8Array>();
const VERIFIED_MODULI_LIMIT = 16;

function countOccurrences(text: string, search: string): number {
  return text.split(search).length - 1;
}

/**
 * Verifies the PGP clear-signed modulus of an `/auth/v4/info` response and returns N as 256
 * little-endian bytes.
 *
 * The signature must verify with `modulusKey` (default: Proton's modulus key) and every signature
 * on the message must come from that key. Text before the armor or after the signature block is
 * rejected. N must be 2048 bits, 3 mod 8, and a safe prime: (N-1)/2 passes 20 Miller-Rabin
 * rounds and N passes Pocklington's criterion. Throws an `SrpError` with reason
 * "invalid-modulus" that names the failed check.
 */
export async function verifyModulus(
  armoredModulus: string,
  options: { modulusKey?: string } = {},
): Promise<Uint8Array> {
  if (typeof armoredModulus !== "string") {
    throw invalidModulus("Modulus must be a PGP clear-signed message string");
  }
  const text = armoredModulus.trim();
  if (
    !text.startsWith(BEGIN_MESSAGE) ||
    !text.endsWith(END_SIGNATURE) ||
    countOccurrences(text, BEGIN_MESSAGE) !== 1 ||
    countOccurrences(text, BEGIN_SIGNATURE) !== 1 ||
    countOccurrences(text, END_SIGNATURE) !== 1
  ) {
    throw invalidModulus(
      "Modulus must be exactly one PGP clear-signed message with nothing before or after it",
    );
  }

  const modulusKey = options.modulusKey ?? PROTON_MODULUS_KEY;
  const cacheKey = `${modulusKey}\n${text}`;
  const cached = verifiedModuli.get(cacheKey);
  if (cached !== undefined) {
    return cached.slice();
  }

  const body = await verifySignature(text, modulusKey);

  const bytes = decodeBase64(body.trim());
  if (bytes === undefined) {
    throw invalidModulus("Signed modulus text is not valid base64");
  }
  if (bytes.length !== SRP_LENGTH) {
    throw invalidModulus(`Modulus is ${bytes.length} bytes, but Proton requires ${SRP_LENGTH}`);
  }
  checkModulus(bytesToBigInt(bytes), defaultRandom);

  if (verifiedModuli.size >= VERIFIED_MODULI_LIMIT) {
    verifiedModuli.clear();
  }
  verifiedModuli.set(cacheKey, bytes.slice());
  return bytes;
}

/** Verifies every signature of the clear-signed `text` against `armoredKey` and returns the text. */
async function verifySignature(text: string, armoredKey: string): Promise<string> {
  let key: Awaited<ReturnType<typeof readKey>>;
  try {
    key = await readKey({ armoredKey });
  } catch (error) {
    throw invalidModulus("Modulus key is not a valid armored OpenPGP public key", error);
  }

  let message: Awaited<ReturnType<typeof readCleartextMessage>>;
  try {
    message = await readCleartextMessage({ cleartextMessage: text });
  } catch (error) {
    throw invalidModulus("Modulus is not a readable PGP clear-signed message", error);
  }

  const result = await verify({ message, verificationKeys: key }).catch((error: unknown) => {
    throw invalidModulus("Modulus signature could not be checked", error);
  });
  if (result.signatures.length === 0) {
    throw invalidModulus("Modulus has no readable signature (unsupported or missing packet)");
  }
  for (const signature of result.signatures) {
    try {
      await signature.verified;
    } catch (error) {
      throw invalidModulus(
        `Modulus signature by key ID ${signature.keyID.toHex()} does not verify with the modulus key`,
        error,
      );
    }
  }
  return result.data;
}
