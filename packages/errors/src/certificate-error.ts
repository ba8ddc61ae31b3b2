import { NetworkError, type TransportErrorOptions } from "./network-error.js";

/** The reason the normal TLS validation rejected the server certificate. */
export type CertificateErrorReason =
  /** The certificate's validity period has ended. */
  | "expired"
  /** The certificate's validity period has not started (or the local clock is wrong). */
  | "not-yet-valid"
  /** The certificate does not name the host that was requested. */
  | "hostname-mismatch"
  /** The chain does not end in a trusted CA, or a certificate in it is self-signed. */
  | "untrusted"
  /** Another certificate problem reported by the TLS stack. `errorCode` has its code. */
  | "other";

export interface CertificateErrorOptions extends TransportErrorOptions {
  reason: CertificateErrorReason;
  host: string;
}

/**
 * The server certificate failed the normal TLS validation (expiry, hostname or trust), before
 * any pin was checked. A `PinningError` is the separate case of a valid certificate whose key
 * is not pinned.
 */
export class CertificateError extends NetworkError {
  static override readonly brand: string = "CertificateError";

  readonly reason: CertificateErrorReason;
  readonly host: string;

  constructor(message: string, options: CertificateErrorOptions) {
    super(message, options);
    this.reason = options.reason;
    this.host = options.host;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason, host: this.host };
  }
}
