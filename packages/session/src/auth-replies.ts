import { UnexpectedResponseError } from "@proton/errors";
import type { ApiResponseBody, RequestDescription } from "./api-response.js";
import { readTwoFactor, type TwoFactorStatus } from "./two-factor.js";

/** The `/auth/v4/info` fields the login needs. */
export interface AuthInfoReply {
  readonly Version: number;
  readonly Modulus: string;
  readonly ServerEphemeral: string;
  readonly Salt: string;
  readonly SRPSession: string;
}

/** The `/auth/v4` login reply, checked. `ServerProof` is checked by the caller. */
export interface LoginReply {
  readonly uid: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly scopes: readonly string[];
  readonly passwordMode: number | undefined;
  readonly twoFactor: TwoFactorStatus;
}

/** Reads the `/auth/v4/info` reply; throws `UnexpectedResponseError` naming a missing field. */
export function readAuthInfo(body: ApiResponseBody, request: RequestDescription): AuthInfoReply {
  const version = body["Version"];
  if (typeof version !== "number" || !Number.isInteger(version)) {
    throw invalidReply(request, "Version");
  }
  return {
    Version: version,
    Modulus: requireString(body, "Modulus", request),
    ServerEphemeral: requireString(body, "ServerEphemeral", request),
    Salt: requireString(body, "Salt", request),
    SRPSession: requireString(body, "SRPSession", request),
  };
}

/** Reads the `/auth/v4` login reply; throws `UnexpectedResponseError` naming a missing field. */
export function readLoginReply(body: ApiResponseBody, request: RequestDescription): LoginReply {
  const passwordMode = body["PasswordMode"];
  return {
    uid: requireString(body, "UID", request),
    accessToken: requireString(body, "AccessToken", request),
    refreshToken: requireString(body, "RefreshToken", request),
    scopes: readScopes(body) ?? [],
    passwordMode: typeof passwordMode === "number" ? passwordMode : undefined,
    twoFactor: readTwoFactor(body["2FA"]),
  };
}

/**
 * Reads the scopes of a login, 2FA or refresh reply: the `Scopes` list, or else the
 * space-separated `Scope` string. `undefined` when the reply has neither.
 */
export function readScopes(body: ApiResponseBody): readonly string[] | undefined {
  const list = body["Scopes"];
  if (Array.isArray(list) && list.every((scope) => typeof scope === "string")) {
    return [...list];
  }
  const text = body["Scope"];
  if (typeof text === "string") {
    return text.split(/\s+/).filter((scope) => scope !== "");
  }
  return undefined;
}

/** Returns the field when it is a non-empty string, otherwise `undefined`. */
export function readNonEmptyString(body: ApiResponseBody, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function requireString(body: ApiResponseBody, name: string, request: RequestDescription): string {
  const value = readNonEmptyString(body, name);
  if (value === undefined) {
    throw invalidReply(request, name);
  }
  return value;
}

function invalidReply(request: RequestDescription, field: string): UnexpectedResponseError {
  return new UnexpectedResponseError(
    `Unexpected reply to ${request.method.toUpperCase()} ${new URL(request.url).pathname}: the field "${field}" is missing or has the wrong type. The server does not speak the Proton API version this client expects.`,
    { status: 200, contentType: "application/json", request },
  );
}
