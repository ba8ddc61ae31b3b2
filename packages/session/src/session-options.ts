import type { HttpMethod, Transport } from "@proton/transport";
import type { Logger } from "./logger.js";
import type { QueryValue } from "./request-url.js";
import type { RetryOptions } from "./retry-policy.js";
import type { SessionDump } from "./session-dump.js";
import type { TwoFactorStatus } from "./two-factor.js";

/** The event that changed the session's tokens. */
export type TokenChangeReason =
  /** `authenticate` stored the tokens of a new login. */
  | "login"
  /** `provide2FA` extended the scopes. */
  | "2fa"
  /** A refresh replaced the access and refresh tokens. */
  | "refresh"
  /** `logout` removed the tokens. */
  | "logout"
  /** The server rejected the refresh token, so the tokens were removed; log in again. */
  | "expired"
  /**
   * The server rejected the refresh token, and `reloadDump` returned newer tokens of the same
   * session (another process refreshed it first), which the session now uses.
   */
  | "reload";

/** The session's state after its tokens changed, passed to `onTokenChange`. */
export interface TokenChange {
  readonly reason: TokenChangeReason;
  /** The session UID; `undefined` after a logout or expiry. */
  readonly uid: string | undefined;
  readonly accessToken: string | undefined;
  readonly refreshToken: string | undefined;
  /**
   * The refresh token the session held before this change. On "expired" it is the token the
   * server rejected: a stored dump that contains another refresh token was written by another
   * process that refreshed first, and persisting this change would overwrite valid tokens.
   */
  readonly previousRefreshToken: string | undefined;
  readonly scopes: readonly string[];
  /** The full dump to persist, the same as `session.dump()` returns now. */
  readonly dump: SessionDump;
}

/** Options for Proton's SRP computations. */
export interface SessionSrpOptions {
  /**
   * Armored public key that must have signed the SRP modulus. Default: Proton's modulus key.
   * A test server such as `@proton/fake-api` signs with its own key.
   */
  modulusKey?: string | undefined;
  /** Source of random bytes for the SRP secret. Default: the platform's CSPRNG. */
  random?: ((length: number) => Uint8Array) | undefined;
}

export interface SessionOptions {
  /** API base URL, such as `https://mail-api.proton.me`. Endpoints are appended to it. */
  apiUrl: string;
  /** Sent as `x-pm-appversion`: `Other`, or `<client>@<semver>` for a registered client. */
  appVersion: string;
  /** Sent as `User-Agent`. Default "proton-ts". Some browsers drop it and send their own. */
  userAgent?: string | undefined;
  /** The HTTP transport, such as `createNodeTransport()` from `@proton/transport-node`. */
  transport: Transport;
  /** Sent as `ClientSecret` with the login requests, for clients that have one. */
  clientSecret?: string | undefined;
  /** Receives logins, refreshes, retries and handled errors. Default: silent. */
  logger?: Logger | undefined;
  /**
   * Called after each token change, and awaited before the new tokens are used, so the caller
   * can persist them first. An error thrown here is logged and does not fail the request.
   */
  onTokenChange?: ((change: TokenChange) => void | Promise<void>) | undefined;
  /**
   * Reads the latest persisted dump (an object or its JSON text), or `undefined` when there is
   * none. Called when the server rejects this session's refresh token. Several processes that
   * load one dump race to refresh it, and the server accepts only the first refresh, so the
   * others see that rejection. When the reloaded dump has the same UID and another refresh
   * token, the session adopts those tokens (reason "reload") and goes on instead of ending.
   * A dump that cannot be read or parsed is logged and ignored.
   */
  reloadDump?: (() => unknown) | undefined;
  /** Deadline of each HTTP exchange, in milliseconds. Default: the transport's own. */
  timeoutMs?: number | undefined;
  retry?: RetryOptions | undefined;
  srp?: SessionSrpOptions | undefined;
}

/** Options of `Session.load`: those of the constructor, minus what the dump provides. */
export type SessionLoadOptions = Omit<SessionOptions, "apiUrl" | "appVersion" | "userAgent"> &
  Partial<Pick<SessionOptions, "apiUrl" | "appVersion" | "userAgent">>;

export interface ApiRequestOptions {
  /** Default: `POST` when `json` is given, otherwise `GET`. */
  method?: HttpMethod | undefined;
  /** Body, sent as JSON. */
  json?: unknown;
  /** Query parameters appended to the endpoint. */
  query?: Readonly<Record<string, QueryValue>> | undefined;
  /** Extra request headers. The session's own headers (authorization, app version) win. */
  headers?: Readonly<Record<string, string>> | undefined;
  signal?: AbortSignal | undefined;
  /** Deadline of this request, in milliseconds. Default: the session's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /**
   * Return the transport response instead of the parsed JSON, for downloads and endpoints that
   * do not return JSON. A non-2xx status still throws the mapped error.
   */
  raw?: boolean | undefined;
  /** With `raw`, return the body as `response.stream` instead of buffering it. */
  stream?: boolean | undefined;
}

/** The outcome of `authenticate`. */
export interface AuthenticateResult {
  readonly uid: string;
  /** The granted scopes; only `twofactor` until `provide2FA` succeeds when 2FA is on. */
  readonly scopes: readonly string[];
  /** 1: one password; 2: a separate mailbox password. */
  readonly passwordMode: number | undefined;
  readonly twoFactor: TwoFactorStatus;
  /** The SRP auth version that succeeded. */
  readonly authVersion: number;
}

/** A solved human verification, to send with the retried request. */
export interface HumanVerificationToken {
  /** The method used, one of the error's `verification.methods`, such as `captcha`. */
  readonly type: string;
  /** The token the verification page returned. */
  readonly token: string;
}
