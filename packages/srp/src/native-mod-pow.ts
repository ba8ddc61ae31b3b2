/**
 * Modular exponentiation in OpenSSL through `node:crypto`, for Node and other runtimes that
 * provide `process.getBuiltinModule`. Browser bundles never load `node:crypto` because it is
 * looked up at run time.
 *
 * OpenSSL has no public modular-exponentiation call, but importing a Diffie-Hellman private key
 * x with group parameters (p, g) makes it derive the public key g^x mod p. So
 * `base^exponent mod modulus` is the public key of the PKCS#8 key (p = modulus, g = base,
 * x = exponent). OpenSSL computes it with its constant-time Montgomery ladder, in about 2 ms
 * for 2048 bits against about 12 ms for the BigInt ladder in mod-pow.ts.
 * `crypto.createDiffieHellman` is not used because its constructor runs a safe-prime check of
 * the modulus that takes about 230 ms.
 */

type NodeCrypto = typeof import("node:crypto");

/** OID 1.2.840.113549.1.3.1 (PKCS #3 dhKeyAgreement), DER-encoded with its tag. */
const DH_KEY_AGREEMENT_OID = Uint8Array.of(
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x03,
  0x01,
);

function encodeLength(length: number): number[] {
  if (length < 0x80) {
    return [length];
  }
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return [0x80 | bytes.length, ...bytes];
}

function encodeTlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of content) {
    length += part.length;
  }
  const header = [tag, ...encodeLength(length)];
  const output = new Uint8Array(header.length + length);
  output.set(header);
  let offset = header.length;
  for (const part of content) {
    output.set(part, offset);
    offset += part.length;
  }
  return output;
}

/** Encodes a non-negative integer as a DER INTEGER (big-endian, leading zero if the top bit is set). */
function encodeInteger(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) {
    hex = `0${hex}`;
  }
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) {
    hex = `00${hex}`;
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return encodeTlv(0x02, bytes);
}

/** Builds a PKCS#8 PrivateKeyInfo for a PKCS #3 Diffie-Hellman key. */
function encodeDhPrivateKey(prime: bigint, generator: bigint, privateValue: bigint): Uint8Array {
  const parameters = encodeTlv(0x30, encodeInteger(prime), encodeInteger(generator));
  const algorithm = encodeTlv(0x30, DH_KEY_AGREEMENT_OID, parameters);
  return encodeTlv(
    0x30,
    encodeInteger(0n),
    algorithm,
    encodeTlv(0x04, encodeInteger(privateValue)),
  );
}

interface DerElement {
  tag: number;
  start: number;
  end: number;
}

function readElement(der: Uint8Array, offset: number): DerElement {
  const tag = der[offset] as number;
  let length = der[offset + 1] as number;
  let start = offset + 2;
  if (length >= 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) {
      length = length * 256 + (der[start + i] as number);
    }
    start += count;
  }
  if (start + length > der.length) {
    throw new RangeError("DER element runs past the end of the input");
  }
  return { tag, start, end: start + length };
}

/** Reads y from SubjectPublicKeyInfo { algorithm, BIT STRING { INTEGER y } }. */
function decodeDhPublicKey(der: Uint8Array): bigint {
  const outer = readElement(der, 0);
  const algorithm = readElement(der, outer.start);
  const bitString = readElement(der, algorithm.end);
  // The first BIT STRING byte counts the unused bits (0 here).
  const integer = readElement(der, bitString.start + 1);
  if (outer.tag !== 0x30 || bitString.tag !== 0x03 || integer.tag !== 0x02) {
    throw new RangeError("Unexpected SubjectPublicKeyInfo layout from OpenSSL");
  }
  let hex = "0";
  for (let i = integer.start; i < integer.end; i++) {
    hex += (der[i] as number).toString(16).padStart(2, "0");
  }
  return BigInt(`0x${hex}`);
}

function loadNodeCrypto(): NodeCrypto | undefined {
  const processObject = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  if (typeof processObject?.getBuiltinModule !== "function") {
    return undefined;
  }
  const module = processObject.getBuiltinModule("node:crypto") as NodeCrypto | undefined;
  return typeof module?.createPrivateKey === "function" ? module : undefined;
}

/**
 * Returns an OpenSSL-backed `modPow`, or undefined when `node:crypto` is not available.
 * The caller checks its output once against BigInt before relying on it.
 */
export function loadNativeModPow():
  | ((base: bigint, exponent: bigint, modulus: bigint) => bigint)
  | undefined {
  const crypto = loadNodeCrypto();
  if (crypto === undefined) {
    return undefined;
  }
  return (base, exponent, modulus) => {
    const privateKey = crypto.createPrivateKey({
      key: Buffer.from(encodeDhPrivateKey(modulus, base, exponent)),
      format: "der",
      type: "pkcs8",
    });
    const publicKey = crypto.createPublicKey(privateKey).export({ format: "der", type: "spki" });
    return decodeDhPublicKey(publicKey);
  };
}
