import { ProtonError, type ProtonErrorOptions } from "./proton-error.js";

/** The SRP check that failed. */
export type SrpErrorReason =
  /** The signed modulus failed its signature, format, size or primality checks. */
  | "invalid-modulus"
  /** The server ephemeral, salt or session is malformed or out of range (B mod N = 0, u = 0). */
  | "invalid-server-parameters"
  /** The server proof did not match: the server does not know the verifier. */
  | "server-proof-mismatch"
  /** The server asked for an auth version this client does not implement. */
  | "unsupported-auth-version"
  /** The password cannot be used (for example, it is empty). */
  | "invalid-password"
  /** On the server side: the client ephemeral or proof is malformed or out of range. */
  | "invalid-client-parameters"
  /** On the server side: the client proof did not match, so the password was wrong. */
  | "client-proof-mismatch";

export interface SrpErrorOptions extends ProtonErrorOptions {
  reason: SrpErrorReason;
}

/** A check of Proton's SRP login failed. The message names the check and contains no secret. */
export class SrpError extends ProtonError {
  static override readonly brand: string = "SrpError";

  readonly reason: SrpErrorReason;

  constructor(message: string, options: SrpErrorOptions) {
    super(message, options);
    this.reason = options.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}
