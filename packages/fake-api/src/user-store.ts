import { computeVerifier } from "@proton/srp";
import { FakeApiInputError } from "./fake-api-input-error.js";
import { type RandomSource, randomId } from "./random-values.js";
import { readSignedModulus, SIGNED_MODULI } from "./signed-moduli.js";
import type { FakeUserInput } from "./types.js";
import { validateUserInput } from "./user-input.js";

/** 2FA bitmask bits of the `2FA.Enabled` field. */
export const TWO_FACTOR_TOTP = 1;
export const TWO_FACTOR_FIDO2 = 2;

/** A user account with its SRP verifier; the password itself is not kept. */
export interface StoredUser {
  id: string;
  username: string;
  authVersion: 0 | 1 | 2 | 3 | 4;
  /** Index into `SIGNED_MODULI` of the modulus the verifier was computed with. */
  modulusIndex: number;
  /** SRP salt, base64 of 10 bytes. */
  salt: string;
  /** SRP verifier, base64 of 256 little-endian bytes. */
  verifier: string;
  totpSecret: string | undefined;
  /** `2FA.Enabled` bitmask: 1 TOTP, 2 FIDO2. */
  twoFactor: number;
  humanVerification: boolean;
  passwordMode: 1 | 2;
  displayName: string;
  email: string;
  addressId: string;
  keyId: string;
  /** Salt of the user's key password, base64 of 16 bytes. */
  keySalt: string;
  createTime: number;
}

/** Users by lower-case username and by lower-case email address. */
export class UserStore {
  readonly #random: RandomSource;
  readonly #byName = new Map<string, StoredUser>();

  constructor(random: RandomSource) {
    this.#random = random;
  }

  /**
   * Validates a user, computes its verifier (bcrypt, so tens of milliseconds) and stores it.
   * `where` names the input in error messages, such as "users[2]".
   */
  async add(input: FakeUserInput, where = "user"): Promise<StoredUser> {
    const user = validateUserInput(input, where);
    const email = user.email ?? `${user.username}@proton.me`;
    for (const key of [user.username.toLowerCase(), email.toLowerCase()]) {
      if (this.#byName.has(key)) {
        throw new FakeApiInputError(`${where}.username`, `a user named "${key}" already exists.`);
      }
    }

    const authVersion = user.authVersion ?? 4;
    const modulusIndex = (this.#random(1)[0] ?? 0) % SIGNED_MODULI.length;
    const salt = Buffer.from(this.#random(10)).toString("base64");
    const verifier = await computeVerifier({
      version: authVersion,
      password: user.password,
      salt,
      username: user.username,
      modulus: readSignedModulus(SIGNED_MODULI[modulusIndex] ?? ""),
    });

    const stored: StoredUser = {
      id: randomId(this.#random),
      username: user.username,
      authVersion,
      modulusIndex,
      salt,
      verifier,
      totpSecret: user.totpSecret,
      twoFactor:
        (user.totpSecret === undefined ? 0 : TWO_FACTOR_TOTP) |
        (user.securityKey === true ? TWO_FACTOR_FIDO2 : 0),
      humanVerification: user.humanVerification ?? false,
      passwordMode: user.passwordMode ?? 1,
      displayName: user.displayName ?? user.username,
      email,
      addressId: randomId(this.#random),
      keyId: randomId(this.#random),
      keySalt: Buffer.from(this.#random(16)).toString("base64"),
      createTime: Math.floor(Date.now() / 1000),
    };

    // Checked again because another add may have finished during the verifier computation.
    for (const key of [stored.username.toLowerCase(), email.toLowerCase()]) {
      if (this.#byName.has(key)) {
        throw new FakeApiInputError(`${where}.username`, `a user named "${key}" already exists.`);
      }
    }
    this.#byName.set(stored.username.toLowerCase(), stored);
    this.#byName.set(email.toLowerCase(), stored);
    return stored;
  }

  /** Finds a user by username or email address, ignoring case. */
  find(name: string): StoredUser | undefined {
    return this.#byName.get(name.toLowerCase());
  }
}
