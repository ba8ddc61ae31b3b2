/**
 * Response body `Code` values of the Proton API that clients act on.
 *
 * Sources: Proton's Python client (`proton/api.py`, `proton/exceptions.py`), the WebClients
 * monorepo (`packages/shared/lib/errors.ts`, `packages/shared/lib/constants.ts`) and
 * go-proton-api (`response.go`).
 */
export const API_CODES = {
  /** Success for a single response. */
  SUCCESS: 1000,
  /** Success for a multi-response (each item carries its own code). */
  MULTI_SUCCESS: 1001,
  /** A field has an invalid value. */
  INVALID_VALUE: 2001,
  /** Too many requests for this login; wait for `Retry-After`. */
  LOGIN_THROTTLED: 2011,
  /** Too many recent login attempts; wait for `Retry-After`. */
  LOGIN_ATTEMPTS_THROTTLED: 2028,
  /** The `x-pm-appversion` header is missing or malformed. */
  APP_VERSION_MISSING: 5001,
  /** The app version is too old and must be updated. */
  APP_VERSION_OUTDATED: 5003,
  /** The username is invalid (unknown format or not allowed). */
  INVALID_USERNAME: 6003,
  /** Incorrect login credentials: a wrong password or a wrong second-factor code. */
  INCORRECT_CREDENTIALS: 8002,
  /** Human verification (captcha, email or SMS) is required before the request is accepted. */
  HUMAN_VERIFICATION_REQUIRED: 9001,
  /** The account was deleted. */
  ACCOUNT_DELETED: 10002,
  /** The account is disabled. */
  ACCOUNT_DISABLED: 10003,
  /** The refresh token is invalid or expired: the session is over. */
  INVALID_REFRESH_TOKEN: 10013,
  /** The solved human-verification token was rejected. */
  INVALID_VERIFICATION_TOKEN: 12087,
} as const;

export type ApiCodeName = keyof typeof API_CODES;
export type ApiCode = (typeof API_CODES)[ApiCodeName];

/** Returns the name of a known code, or `undefined` for a code this package does not list. */
export function apiCodeName(code: number): ApiCodeName | undefined {
  for (const [name, value] of Object.entries(API_CODES)) {
    if (value === code) {
      return name as ApiCodeName;
    }
  }
  return undefined;
}
