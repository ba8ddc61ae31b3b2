import bcryptjs from "bcryptjs";

import { utf8 } from "./bytes.js";

/** bcrypt cost (log2 of the rounds) that Proton uses for login and key passwords. */
export const BCRYPT_COST = 10;

/** Length of bcrypt's salt in bytes. */
export const BCRYPT_SALT_LENGTH = 16;

/** Bytes of the key that bcrypt reads: the password plus a terminating zero byte, cut at 72. */
const BCRYPT_MAX_KEY_BYTES = 72;

/** Bytes of the bcrypt digest that the modular crypt string encodes (31 characters). */
const BCRYPT_DIGEST_BYTES = 23;

type WasmBcrypt = typeof import("hash-wasm").bcrypt;

/** Encodes bytes in bcrypt's base64 alphabet (`./A-Za-z0-9`, no padding). */
export function encodeBcryptBase64(bytes: Uint8Array): string {
  return bcryptjs.encodeBase64(bytes, bytes.length);
}

/** Decodes `length` bytes from bcrypt's base64, ignoring the unused low bits of the last character. */
export function decodeBcryptBase64(text: string, length: number): Uint8Array {
  return Uint8Array.from(bcryptjs.decodeBase64(text, length));
}

function checkSalt(salt: Uint8Array): void {
  if (!(salt instanceof Uint8Array) || salt.length !== BCRYPT_SALT_LENGTH) {
    throw new TypeError(`bcrypt salt must be ${BCRYPT_SALT_LENGTH} bytes`);
  }
}

/** Runs bcrypt in pure JavaScript (bcryptjs), which yields to the event loop every 100 ms. */
export async function bcryptHashJs(password: string, salt: Uint8Array): Promise<string> {
  checkSalt(salt);
  // bcryptjs reads at most 72 key bytes itself and writes `$2y$10$`, the salt and the digest.
  return bcryptjs.hash(password, `$2y$${BCRYPT_COST}$${encodeBcryptBase64(salt)}`);
}

/** Runs bcrypt in WebAssembly (hash-wasm). The event loop is blocked for the whole hash. */
export async function bcryptHashWasm(
  wasmBcrypt: WasmBcrypt,
  password: string,
  salt: Uint8Array,
): Promise<string> {
  checkSalt(salt);
  // hash-wasm rejects keys over 72 bytes instead of cutting them, so the cut happens here. The
  // result equals bcryptjs's, which reads the same 72 bytes (the cut drops the zero byte, too).
  const key = utf8(password).slice(0, BCRYPT_MAX_KEY_BYTES);
  const digest = await wasmBcrypt({
    password: key,
    salt,
    costFactor: BCRYPT_COST,
    outputType: "binary",
  });
  const encodedDigest = bcryptjs.encodeBase64(digest, BCRYPT_DIGEST_BYTES);
  return `$2y$${BCRYPT_COST}$${encodeBcryptBase64(salt)}${encodedDigest}`;
}

let wasmBcryptLoad: Promise<WasmBcrypt | undefined> | undefined;

/**
 * Loads hash-wasm's bcrypt where `process.getBuiltinModule` shows a server runtime (Node 20.16
 * and later). Browsers keep the pure-JavaScript path. A failed load (no WebAssembly, for
 * example under `--jitless`) also keeps it.
 */
function loadWasmBcrypt(): Promise<WasmBcrypt | undefined> {
  if (wasmBcryptLoad === undefined) {
    const processObject = (globalThis as { process?: { getBuiltinModule?: unknown } }).process;
    wasmBcryptLoad =
      typeof processObject?.getBuiltinModule === "function" && typeof WebAssembly === "object"
        ? import("hash-wasm").then(
            (module) => module.bcrypt,
            () => undefined,
          )
        : Promise.resolve(undefined);
  }
  return wasmBcryptLoad;
}

/** Tells which bcrypt implementation `bcryptHash` uses: "hash-wasm" or "bcryptjs". */
export async function bcryptImplementation(): Promise<"hash-wasm" | "bcryptjs"> {
  return (await loadWasmBcrypt()) === undefined ? "bcryptjs" : "hash-wasm";
}

/**
 * Runs bcrypt (`$2y$`, cost 10) over the password's UTF-8 bytes with a 16-byte salt and returns
 * the 60-character modular crypt string: `$2y$10$`, the salt in canonical bcrypt base64, and
 * the digest.
 *
 * bcrypt reads at most 72 bytes of the key (the password plus a terminating zero byte), so bytes
 * after the 72nd do not change the result. Server runtimes use hash-wasm (about 15% faster than
 * bcryptjs in Node 20, see docs/benchmarks/srp.md) and browsers use bcryptjs.
 */
export async function bcryptHash(password: string, salt: Uint8Array): Promise<string> {
  const wasmBcrypt = await loadWasmBcrypt();
  if (wasmBcrypt !== undefined) {
    return bcryptHashWasm(wasmBcrypt, password, salt);
  }
  return bcryptHashJs(password, salt);
}
