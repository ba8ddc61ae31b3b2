/** The second factors an account has enabled, read from the login reply's `2FA.Enabled`. */
export interface TwoFactorStatus {
  /** The raw bitmask: bit 1 TOTP, bit 2 FIDO2 security key. */
  readonly enabled: number;
  /** Whether the session needs a second factor before it gets its full scope. */
  readonly required: boolean;
  /** Whether a TOTP code is accepted (`provide2FA`). */
  readonly totp: boolean;
  /** Whether a FIDO2 security key is enrolled. */
  readonly fido2: boolean;
}

const TOTP_BIT = 1;
const FIDO2_BIT = 2;

/**
 * Reads the `2FA` object of a login reply. A missing or malformed object means no second
 * factor; the `Enabled` bitmask is 1 for TOTP, 2 for a FIDO2 key and 3 for both.
 */
export function readTwoFactor(value: unknown): TwoFactorStatus {
  const enabledField =
    typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)["Enabled"]
      : undefined;
  const enabled =
    typeof enabledField === "number" && Number.isInteger(enabledField) && enabledField > 0
      ? enabledField
      : 0;

  return {
    enabled,
    required: (enabled & (TOTP_BIT | FIDO2_BIT)) !== 0,
    totp: (enabled & TOTP_BIT) !== 0,
    fido2: (enabled & FIDO2_BIT) !== 0,
  };
}
