import { ProtonError } from "@proton/errors";

/**
 * The account's second factor cannot be completed by this client: its only second factor is a
 * security key (FIDO2), and the client sends TOTP codes only.
 */
export class UnsupportedSecondFactorError extends ProtonError {
  static override readonly brand: string = "UnsupportedSecondFactorError";
}
