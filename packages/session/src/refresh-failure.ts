import { ApiError, SessionExpiredError } from "@proton/errors";

/**
 * Body codes that a refresh reply may carry without meaning the refresh token is dead: human
 * verification (9001, 12087), login throttling (2011, 2028) and app version (5001, 5003). They
 * surface as their own errors, and the tokens stay usable once the cause is dealt with.
 */
const RECOVERABLE_REFRESH_CODES: ReadonlySet<number> = new Set([
  9001, 12087, 2011, 2028, 5001, 5003,
]);

/**
 * Returns whether a failed refresh means the refresh token is dead: body code 10013, or HTTP 400
 * or 422 with a JSON body whose `Code` is not in `RECOVERABLE_REFRESH_CODES`. A 400 or 422 without a
 * numeric `Code`, such as an empty body or a proxy's page, is treated as transient.
 */
export function isDefinitiveRefreshFailure(error: unknown): error is ApiError {
  if (!ApiError.isInstance(error)) {
    return false;
  }
  if (error.code === 10013) {
    return true;
  }
  return (
    (error.status === 400 || error.status === 422) &&
    error.code !== undefined &&
    !RECOVERABLE_REFRESH_CODES.has(error.code)
  );
}

export function toSessionExpired(error: ApiError): SessionExpiredError {
  // A plain boolean: SessionExpiredError has the same shape as ApiError, so the type guard
  // would narrow the other branch to never.
  const alreadyExpired: boolean = SessionExpiredError.isInstance(error);
  if (alreadyExpired) {
    return error as SessionExpiredError;
  }
  const code = error.code === undefined ? "" : `, code ${error.code}`;
  return new SessionExpiredError(
    `The session has ended: the server rejected the refresh token (HTTP ${error.status}${code}). Log in again.`,
    {
      status: error.status,
      code: error.code,
      serverMessage: error.serverMessage,
      details: error.details,
      headers: error.headers,
      request: error.request,
      cause: error,
    },
  );
}

/** Returns the refresh request's `State`: 32 random hex digits, as OAuth clients send. */
export function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
