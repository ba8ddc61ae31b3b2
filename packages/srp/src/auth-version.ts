import { cleanUsername } from "./hash-password.js";

/** The auth version to try next and whether it is the last candidate. */
export interface AuthVersionAttempt {
  version: number;
  /** True when no other version is left to try after this one. */
  done: boolean;
}

/**
 * Chooses the auth version for the next login attempt.
 *
 * A known `info.Version` (1 to 4) is used as is. Version 0 means the server does not know which
 * legacy hash the account has, so the client tries 2, then 1 (only when cleaning the username
 * changes it, because otherwise 1 and 2 hash the same), then 0. Call it first without
 * `lastAuthVersion`, and again with the version that failed after each wrong-password
 * response (code 8002), fetching a fresh `/auth/v4/info` for each attempt. Throws a `RangeError` when
 * called again after the last candidate.
 */
export function getAuthVersionWithFallback(
  info: { Version: number },
  username: string,
  lastAuthVersion?: number,
): AuthVersionAttempt {
  if (info.Version !== 0) {
    return { version: info.Version, done: true };
  }
  if (lastAuthVersion === undefined) {
    return { version: 2, done: false };
  }
  if (lastAuthVersion === 2 && cleanUsername(username) !== username.toLowerCase()) {
    return { version: 1, done: false };
  }
  if (lastAuthVersion === 2 || lastAuthVersion === 1) {
    return { version: 0, done: true };
  }
  throw new RangeError(
    `No auth version is left to try after version ${lastAuthVersion}, so the password is wrong`,
  );
}
