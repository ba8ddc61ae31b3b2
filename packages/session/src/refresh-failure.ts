import { ApiError, SessionExpiredError } from "@proton/errors";

/** Code 10013, or HTTP 400 or 422 from the refresh endpoint: the refresh token is dead. */
export function isDefinitiveRefreshFailure(error: unknown): error is ApiError {
  return (
    ApiError.isInstance(error) &&
    (error.code === 10013 || error.status === 400 || error.status === 422)
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
