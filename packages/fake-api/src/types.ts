/** Options of `startFakeApi`. */
export interface FakeApiOptions {
  /** Interface to listen on. Default "127.0.0.1". */
  host?: string;
  /** API port; 0 picks any free port. Default 0. The control API always takes a free port. */
  port?: number;
  /** Serve plain HTTP instead of HTTPS. Default false. */
  http?: boolean;
  /** Users created at start. Default: none. */
  users?: readonly FakeUserInput[];
  /** Access-token lifetime in seconds; a request after it gets HTTP 401. Default 86400. */
  tokenLifetimeSeconds?: number;
  /** Accepts or rejects an `x-pm-appversion` value (false gives Code 5003). Default: any non-empty value. */
  appVersionRule?: (appVersion: string) => boolean;
  /** Receives one line per request. Lines never contain a password or a token. */
  log?: (line: string) => void;
  /**
   * Source of random bytes for tokens, salts and SRP secrets. Default: `crypto.randomBytes`.
   * A source that repeats its output makes UIDs and tokens collide.
   */
  random?: (length: number) => Uint8Array;
}

/** A running fake API. */
export interface FakeApi {
  /** Base URL of the API, such as "https://127.0.0.1:PORT", without a trailing slash. */
  url: string;
  /** SPKI SHA-256 pin (base64) of the served leaf certificate. */
  pin: string;
  /** PEM of the CA that signed the leaf certificate. */
  ca: string;
  /** Path of the CA PEM on disk. */
  caFile: string;
  /** Base URL of the plain-HTTP control API, on its own port. */
  controlUrl: string;
  control: FakeApiControl;
  /** Stops both servers and drops open connections, hanging requests included. */
  close(): Promise<void>;
}

/** A user account as tests and users files describe it. */
export interface FakeUserInput {
  username: string;
  password: string;
  /** SRP auth version used for the stored verifier. Default 4. */
  authVersion?: 0 | 1 | 2 | 3 | 4;
  /** Base32 TOTP secret. Enables TOTP (bit 1 of the 2FA bitmask). */
  totpSecret?: string;
  /** An enrolled FIDO2 security key (bit 2 of the 2FA bitmask). */
  securityKey?: boolean;
  /** Every login gets Code 9001 until it is resent with a solved verification token. */
  humanVerification?: boolean;
  /** 1 for one password, 2 for a separate mailbox password. Default 1. */
  passwordMode?: 1 | 2;
  /** Default: the username. */
  displayName?: string;
  /** Default: `<username>@proton.me`. */
  email?: string;
}

/** Test controls of a running fake API. */
export interface FakeApiControl {
  /** Adds a user; rejects with `FakeApiInputError` for invalid input or a taken username. */
  addUser(user: FakeUserInput): Promise<void>;
  /** Expires the access tokens of the user's sessions, or of every session if omitted. */
  expireAccessTokens(username?: string): void;
  /** Ends the user's sessions, or every session if omitted. Their refresh tokens die too. */
  revokeSessions(username?: string): void;
  /** Marks a Code 9001 verification token as solved, so that one retry with it succeeds. */
  solveHumanVerification(token: string): void;
  /** Adds a fault and returns its id. */
  injectFault(fault: FaultSpec): string;
  /** Removes one fault, or all of them if `id` is omitted. */
  clearFaults(id?: string): void;
  requestLog(): readonly RequestLogEntry[];
  clearRequestLog(): void;
}

/** Kinds of injected failure. */
export type FaultKind =
  | "status"
  | "rate-limit"
  | "html"
  | "malformed"
  | "delay"
  | "reset"
  | "hang"
  | "non-object"
  | "large-body";

/** A failure the fake API applies to matching requests before handling them. */
export interface FaultSpec {
  /**
   * "METHOD /path" matched against the normalised route, such as "POST /auth/v4/refresh".
   * The method may be "*" ("* /core/v4/users"); "*" alone matches every request.
   */
  route: string;
  kind: FaultKind;
  /** HTTP status for "status" (default 503) and "html" (default 503). */
  status?: number;
  /** Body `Code` for "status" and "rate-limit". Default: the HTTP status (429 for "rate-limit"). */
  code?: number;
  /** Raw `Retry-After` header value for "rate-limit" (default "1") and "status" (default: none). */
  retryAfter?: string;
  /** Wait before the normal response, for "delay", in milliseconds. */
  delayMs?: number;
  /** Body size for "large-body", in bytes. Default 32 MiB. */
  bytes?: number;
  /** Number of matching requests the fault applies to. Default: until cleared. */
  times?: number;
}

/** Kind of credential a request carried, as the fake API classified it. */
export type TokenUse = "access" | "refresh" | "none" | "expired" | "invalid";

/** One handled request. */
export interface RequestLogEntry {
  /** Arrival time, in milliseconds since the epoch. */
  time: number;
  method: string;
  /** URL path without the query string. */
  path: string;
  /** Normalised route such as "POST /auth/v4/refresh"; the legacy /auth/... forms map to v4. */
  route: string;
  /** HTTP status sent, or 0 when a fault reset or hung the connection. */
  status: number;
  /** Body `Code` sent, when the body was an API JSON object. */
  code?: number;
  /** Session UID from `x-pm-uid` or the refresh body, or of the session a login opened. */
  uid?: string;
  token: TokenUse;
  /** First 8 hex digits of the SHA-256 of the token used; not enough to use the token. */
  tokenId?: string;
  /** Kind of the fault applied, if any. */
  fault?: FaultKind;
}
