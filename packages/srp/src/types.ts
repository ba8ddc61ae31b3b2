import type { RandomSource } from "./random.js";

/** The fields of an `/auth/v4/info` response that the SRP client reads. */
export interface AuthInfo {
  /** Auth version of the account's verifier (0 to 4). 0 also means the server does not know. */
  Version: number;
  /** The PGP clear-signed base64 modulus. */
  Modulus: string;
  /** The server ephemeral B, base64 of 256 little-endian bytes. */
  ServerEphemeral: string;
  /** The account's salt, base64 of 10 bytes (read by auth versions 3 and 4). */
  Salt: string;
}

/** The login credentials. */
export interface Credentials {
  /** The account name, which auth versions 0, 1 and 2 hash with the password. */
  username?: string;
  /** The password, hashed as its UTF-8 bytes without trimming or normalization. */
  password: string;
}

/** Options of the client-side calls. */
export interface SrpOptions {
  /** Armored public key that must have signed the modulus (default: `PROTON_MODULUS_KEY`). */
  modulusKey?: string;
  /** Random byte source (default: `crypto.getRandomValues`). */
  random?: RandomSource;
}
