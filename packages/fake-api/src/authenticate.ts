import { ApiFailure } from "./api-failure.js";
import { tokenId } from "./random-values.js";
import { headerValue, type RequestContext, type ServerState } from "./server-state.js";
import type { Session } from "./session-store.js";

/**
 * Checks `Authorization: Bearer <token>` and `x-pm-uid`, records which token was used in the
 * request log, and returns the session. Throws HTTP 401 for a missing, unknown or expired
 * token, and HTTP 403 when the session only has the `twofactor` scope and the route needs more.
 */
export function authenticate(
  state: ServerState,
  context: RequestContext,
  options: { allowTwoFactorScope: boolean },
): Session {
  const uid = headerValue(context.headers, "x-pm-uid");
  const authorization = headerValue(context.headers, "authorization");
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)$/i.exec(authorization);
  const accessToken = match?.[1];

  if (uid !== undefined) {
    context.entry.uid = uid;
  }
  if (accessToken === undefined) {
    throw new ApiFailure(401, 401, "Missing access token: send Authorization: Bearer <token>.");
  }
  context.entry.tokenId = tokenId(accessToken);
  if (uid === undefined) {
    context.entry.token = "invalid";
    throw new ApiFailure(401, 401, "Missing x-pm-uid header.");
  }

  const check = state.sessions.checkAccessToken(uid, accessToken);
  if (check.state === "invalid") {
    context.entry.token = "invalid";
    throw new ApiFailure(401, 401, "Invalid access token.");
  }
  if (check.state === "expired") {
    context.entry.token = "expired";
    throw new ApiFailure(401, 401, "Access token expired.");
  }
  context.entry.token = "access";

  if (!options.allowTwoFactorScope && !check.session.scopes.includes("full")) {
    throw new ApiFailure(403, 403, "Access token does not have sufficient scope.", {
      details: { Scopes: check.session.scopes },
    });
  }
  return check.session;
}
