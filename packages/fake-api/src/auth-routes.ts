import { createSrpServerSession } from "@proton/srp";
import { ApiFailure, CODES } from "./api-failure.js";
import { authenticate } from "./authenticate.js";
import { deriveUnknownUserSrp } from "./fake-verifier.js";
import { VERIFICATION_METHODS } from "./human-verification.js";
import { randomHex, tokenId } from "./random-values.js";
import {
  headerValue,
  type PendingLogin,
  type RequestContext,
  type RouteHandler,
  type ServerState,
} from "./server-state.js";
import { FULL_SCOPES, type Session, TWO_FACTOR_SCOPES } from "./session-store.js";
import { SIGNED_MODULI } from "./signed-moduli.js";
import { verifyTotp } from "./totp.js";
import { TWO_FACTOR_FIDO2, TWO_FACTOR_TOTP } from "./user-store.js";

/** Time between `/auth/v4/info` and `/auth/v4` after which the SRP session is dropped. */
const LOGIN_WINDOW_MS = 60 * 60 * 1000;
/** Pending logins kept at most; the oldest go first. */
const MAX_PENDING_LOGINS = 10_000;

const WRONG_CREDENTIALS = "Incorrect login credentials. Please try again.";

/** `POST /auth/v4/info`: returns the SRP parameters of an account, or plausible ones for an unknown name. */
export const handleInfo: RouteHandler = async (state, context) => {
  const username = requireString(context, "Username");
  const user = state.users.find(username);

  const srp =
    user === undefined
      ? { ...deriveUnknownUserSrp(state.unknownUserSecret, username, state.moduli), version: 4 }
      : {
          modulusIndex: user.modulusIndex,
          salt: user.salt,
          verifier: user.verifier,
          version: user.authVersion,
        };
  const server = await createSrpServerSession({
    modulus: state.moduli[srp.modulusIndex] ?? new Uint8Array(256),
    verifier: srp.verifier,
    random: state.random,
  });

  const srpSession = randomHex(state.random, 16);
  addPendingLogin(state, srpSession, {
    usernameKey: username.toLowerCase(),
    user,
    checkClientProof: (clientEphemeral, clientProof) =>
      server.checkClientProof(clientEphemeral, clientProof),
    expiresAt: Date.now() + LOGIN_WINDOW_MS,
  });

  return {
    Code: CODES.SUCCESS,
    Version: srp.version,
    Modulus: SIGNED_MODULI[srp.modulusIndex],
    ServerEphemeral: server.serverEphemeral,
    Salt: srp.salt,
    SRPSession: srpSession,
    "2FA": twoFactorInfo(state, user?.twoFactor ?? 0, user?.keyId ?? ""),
  };
};

/**
 * `POST /auth/v4`: checks the SRP client proof, then human verification, and opens a session.
 * A wrong password and an unknown username both get HTTP 422 with Code 8002.
 */
export const handleLogin: RouteHandler = async (state, context) => {
  const username = requireString(context, "Username");
  const clientEphemeral = requireString(context, "ClientEphemeral");
  const clientProof = requireString(context, "ClientProof");
  const srpSession = requireString(context, "SRPSession");

  const pending = state.pendingLogins.get(srpSession);
  if (
    pending === undefined ||
    pending.expiresAt <= Date.now() ||
    pending.usernameKey !== username.toLowerCase()
  ) {
    throw new ApiFailure(
      422,
      CODES.INVALID_VALUE,
      "Invalid SRPSession: request /auth/v4/info again.",
    );
  }

  const serverProof = await checkProof(state, srpSession, pending, clientEphemeral, clientProof);
  const user = pending.user;
  if (user === undefined) {
    state.pendingLogins.delete(srpSession);
    throw new ApiFailure(422, CODES.INCORRECT_CREDENTIALS, WRONG_CREDENTIALS);
  }

  // The SRP session stays open on 9001 and 12087, so the client can resend the same request
  // (same proofs, same SRPSession) with the verification headers.
  if (user.humanVerification) {
    requireHumanVerification(state, context, user.id);
  }
  state.pendingLogins.delete(srpSession);

  const scopes = user.twoFactor === 0 ? FULL_SCOPES : TWO_FACTOR_SCOPES;
  const { session, tokens } = state.sessions.create(user, scopes);
  context.entry.uid = session.uid;

  return {
    Code: CODES.SUCCESS,
    UID: session.uid,
    UserID: user.id,
    AccessToken: tokens.accessToken,
    RefreshToken: tokens.refreshToken,
    TokenType: "Bearer",
    ExpiresIn: state.sessions.lifetimeSeconds,
    ServerProof: serverProof,
    ...scopeFields(session),
    PasswordMode: user.passwordMode,
    "2FA": twoFactorInfo(state, user.twoFactor, user.keyId),
    LocalID: 0,
  };
};

/** `POST /auth/v4/2fa`: checks a TOTP code and lifts the session from `twofactor` to full scope. */
export const handle2fa: RouteHandler = async (state, context) => {
  const session = authenticate(state, context, { allowTwoFactorScope: true });
  if (session.scopes.includes("full")) {
    throw new ApiFailure(
      422,
      CODES.INVALID_VALUE,
      "Two-factor authentication is not pending: the session already has full scope.",
    );
  }

  const code = context.body["TwoFactorCode"];
  if (typeof code !== "string") {
    // NOTE: FIDO2 assertions (the "FIDO2" field) are not checked, so a session of a user with
    // only a security key stays in the twofactor scope.
    throw new ApiFailure(
      422,
      CODES.INVALID_VALUE,
      "Missing TwoFactorCode: this server checks TOTP codes only.",
    );
  }
  const secret = session.user.totpSecret;
  if (secret === undefined || !verifyTotp(secret, code.trim())) {
    throw new ApiFailure(422, CODES.INCORRECT_CREDENTIALS, WRONG_CREDENTIALS);
  }

  session.scopes = FULL_SCOPES;
  return { Code: CODES.SUCCESS, ...scopeFields(session) };
};

/**
 * `POST /auth/v4/refresh`: rotates both tokens. The UID comes from `x-pm-uid` or the body. A
 * used, revoked or wrong refresh token gets HTTP 422 with Code 10013.
 */
export const handleRefresh: RouteHandler = async (state, context) => {
  const uidField = context.body["UID"];
  const uid =
    headerValue(context.headers, "x-pm-uid") ??
    (typeof uidField === "string" ? uidField : undefined);
  const refreshToken = context.body["RefreshToken"];
  const grantType = context.body["GrantType"];

  if (uid !== undefined) {
    context.entry.uid = uid;
  }
  if (typeof refreshToken !== "string" || refreshToken === "") {
    throw new ApiFailure(
      422,
      CODES.INVALID_VALUE,
      "Missing RefreshToken: send the refresh token of the login or last refresh.",
    );
  }
  context.entry.tokenId = tokenId(refreshToken);
  if (uid === undefined) {
    context.entry.token = "invalid";
    throw new ApiFailure(422, CODES.INVALID_VALUE, "Missing UID: send x-pm-uid or a UID field.");
  }
  if (grantType !== undefined && grantType !== "refresh_token") {
    throw new ApiFailure(422, CODES.INVALID_VALUE, 'Invalid GrantType: expected "refresh_token".');
  }

  const check = state.sessions.checkRefreshToken(uid, refreshToken);
  if (check.state !== "valid") {
    context.entry.token = "invalid";
    throw new ApiFailure(422, CODES.INVALID_REFRESH_TOKEN, "Invalid refresh token");
  }
  context.entry.token = "refresh";

  const session = check.session;
  const tokens = state.sessions.rotate(session);
  return {
    Code: CODES.SUCCESS,
    UID: session.uid,
    AccessToken: tokens.accessToken,
    RefreshToken: tokens.refreshToken,
    TokenType: "Bearer",
    ExpiresIn: state.sessions.lifetimeSeconds,
    ...scopeFields(session),
  };
};

/** `DELETE /auth/v4`: ends the session; its tokens stop working at once. */
export const handleLogout: RouteHandler = async (state, context) => {
  const session = authenticate(state, context, { allowTwoFactorScope: true });
  state.sessions.delete(session.uid);
  return { Code: CODES.SUCCESS };
};

/** `GET /auth/v4/sessions`: the sessions of the logged-in user. */
export const handleSessions: RouteHandler = async (state, context) => {
  const current = authenticate(state, context, { allowTwoFactorScope: false });
  return {
    Code: CODES.SUCCESS,
    Sessions: state.sessions.list(current.user.id).map((session) => ({
      UID: session.uid,
      CreateTime: session.createTime,
      ClientID: "Other",
      LocalizedClientName: "Other",
      MemberID: null,
      Revocable: session.uid === current.uid ? 0 : 1,
      Scopes: session.scopes,
    })),
  };
};

function scopeFields(session: Session): { Scope: string; Scopes: string[] } {
  return { Scope: session.scopes.join(" "), Scopes: [...session.scopes] };
}

/**
 * Builds the `2FA` object of info and login responses. For an enrolled security key it lists
 * one WebAuthn credential with a fresh challenge, in the shape the live API sends.
 */
function twoFactorInfo(
  state: ServerState,
  mask: number,
  credentialSeed: string,
): Record<string, unknown> {
  if ((mask & TWO_FACTOR_FIDO2) === 0) {
    return {
      Enabled: mask,
      TOTP: mask & TWO_FACTOR_TOTP ? 1 : 0,
      FIDO2: { AuthenticationOptions: null, RegisteredKeys: [] },
    };
  }
  const credentialId = [...Buffer.from(credentialSeed, "base64url").subarray(0, 16)];
  return {
    Enabled: mask,
    TOTP: mask & TWO_FACTOR_TOTP ? 1 : 0,
    FIDO2: {
      AuthenticationOptions: {
        publicKey: {
          timeout: 60_000,
          challenge: [...state.random(32)],
          userVerification: "discouraged",
          rpId: "proton.me",
          allowCredentials: [{ id: credentialId, type: "public-key" }],
        },
      },
      RegisteredKeys: [
        { AttestationFormat: "none", CredentialID: credentialId, Name: "Security key" },
      ],
    },
  };
}

function requireString(context: RequestContext, field: string): string {
  const value = context.body[field];
  if (typeof value !== "string" || value === "") {
    throw new ApiFailure(
      422,
      CODES.INVALID_VALUE,
      `Missing or invalid ${field}: expected a string.`,
    );
  }
  return value;
}

function addPendingLogin(state: ServerState, srpSession: string, login: PendingLogin): void {
  const now = Date.now();
  for (const [key, pending] of state.pendingLogins) {
    if (pending.expiresAt <= now || state.pendingLogins.size >= MAX_PENDING_LOGINS) {
      state.pendingLogins.delete(key);
    } else {
      break;
    }
  }
  state.pendingLogins.set(srpSession, login);
}

/** Returns the server proof, or throws Code 8002 (wrong password) and drops the SRP session. */
async function checkProof(
  state: ServerState,
  srpSession: string,
  pending: PendingLogin,
  clientEphemeral: string,
  clientProof: string,
): Promise<string> {
  const accepted = pending.accepted;
  if (
    accepted !== undefined &&
    accepted.clientEphemeral === clientEphemeral &&
    accepted.clientProof === clientProof
  ) {
    return accepted.serverProof;
  }

  try {
    const serverProof = await pending.checkClientProof(clientEphemeral, clientProof);
    pending.accepted = { clientEphemeral, clientProof, serverProof };
    return serverProof;
  } catch (error) {
    state.pendingLogins.delete(srpSession);
    const reason = (error as { reason?: unknown }).reason;
    if (reason === "invalid-client-parameters") {
      throw new ApiFailure(422, CODES.INVALID_VALUE, "Invalid ClientEphemeral or ClientProof.");
    }
    throw new ApiFailure(422, CODES.INCORRECT_CREDENTIALS, WRONG_CREDENTIALS);
  }
}

/**
 * Throws Code 9001 with a new token when the request carries no verification headers, and
 * Code 12087 when its token is not a solved token of this user with an offered method as type.
 */
function requireHumanVerification(
  state: ServerState,
  context: RequestContext,
  userId: string,
): void {
  const token = headerValue(context.headers, "x-pm-human-verification-token");
  const type = headerValue(context.headers, "x-pm-human-verification-token-type");

  if (token === undefined) {
    const issued = state.verifications.issue(userId);
    throw new ApiFailure(422, CODES.HUMAN_VERIFICATION_REQUIRED, "Human verification required.", {
      details: {
        HumanVerificationToken: issued,
        HumanVerificationMethods: [...VERIFICATION_METHODS],
        WebUrl: state.verificationUrl(issued),
        ExpiresAt: Math.floor(Date.now() / 1000) + 3600,
        Title: "Human verification",
      },
    });
  }
  if (!state.verifications.consume(token, type, userId)) {
    throw new ApiFailure(
      422,
      CODES.INVALID_VERIFICATION_TOKEN,
      "Invalid verification token: solve a new verification and retry.",
    );
  }
}
