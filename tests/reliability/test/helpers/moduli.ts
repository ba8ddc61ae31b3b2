import { SIGNED_MODULI } from "@proton/fake-api";
import { createCleartextMessage, generateKey, readPrivateKey, sign } from "openpgp";

/** An OpenPGP key pair that is not Proton's modulus key, for moduli a client must reject. */
export interface ForeignModulusKey {
  readonly publicKey: string;
  readonly privateKey: string;
}

/** Creates a fresh Ed25519 signing key. */
export async function createForeignModulusKey(): Promise<ForeignModulusKey> {
  const { publicKey, privateKey } = await generateKey({
    type: "ecc",
    curve: "ed25519Legacy",
    userIDs: [{ name: "Not Proton", email: "modulus@example.invalid" }],
    format: "armored",
  });
  return { publicKey, privateKey };
}

/** Clear-signs `body` (base64 text) with `key`, in the layout of Proton's signed moduli. */
export async function signModulus(body: string, key: ForeignModulusKey): Promise<string> {
  const message = await createCleartextMessage({ text: body });
  const signingKey = await readPrivateKey({ armoredKey: key.privateKey });
  return sign({ message, signingKeys: signingKey });
}

/** Extracts the base64 body of a clear-signed modulus. */
export function modulusBody(signedModulus: string): string {
  const lines = signedModulus.split(/\r?\n/);
  const start = lines.indexOf("") + 1;
  const end = lines.indexOf("-----BEGIN PGP SIGNATURE-----");
  return lines.slice(start, end).join("");
}

/** Flips one base64 character of the body and keeps Proton's signature: the signature breaks. */
export function alterModulusBody(signedModulus: string): string {
  const body = modulusBody(signedModulus);
  const index = 10;
  const replacement = body[index] === "A" ? "B" : "A";
  const altered = `${body.slice(0, index)}${replacement}${body.slice(index + 1)}`;
  return signedModulus.replace(body, altered);
}

/** Reads a 256-byte little-endian base64 integer. */
export function readLittleEndian(base64: string): bigint {
  const bytes = Buffer.from(base64, "base64").reverse();
  return BigInt(`0x${bytes.toString("hex") || "0"}`);
}

/** Writes an integer as `length` little-endian bytes in base64. */
export function writeLittleEndian(value: bigint, length = 256): string {
  const hex = value.toString(16).padStart(length * 2, "0");
  if (hex.length > length * 2) {
    throw new RangeError(`The value does not fit in ${length} bytes.`);
  }
  return Buffer.from(hex, "hex").reverse().toString("base64");
}

/** N of the first signed modulus the fake API serves. */
export function fakeApiModulus(signedModulus: string = SIGNED_MODULI[0] ?? ""): bigint {
  return readLittleEndian(modulusBody(signedModulus));
}
