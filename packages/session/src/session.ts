import {
  ApiError,
  HumanVerificationRequiredError,
  InvalidCredentialsError,
  MissingScopeError,
  parseRetryAfter,
  RateLimitError,
  type SessionExpiredError,
  SrpError,
  UnexpectedResponseError,
} from "@proton/errors";
import { getAuthVersionWithFallback, getSrp, verifyServerProof } from "@proton/srp";
import type { TransportRequest, TransportResponse } from "@proton/transport";
import {
  type ApiResponseBody,
  createResponseError,
  type RequestDescription,
  readBodyCode,
  readSuccessBody,
  tryParseJson,
} from "./api-response.js";
import { readAuthInfo, readLoginReply, readNonEmptyString, readScopes } from "./auth-replies.js";
import { CookieJar } from "./cookie-jar.js";
import { describeError } from "./describe-error.js";
import { type Logger, silentLogger } from "./logger.js";
import { requireHeaderText, requireTimeoutMs } from "./option-checks.js";
import { isDefinitiveRefreshFailure, randomState, toSessionExpired } from "./refresh-failure.js";
import { buildRequestUrl, endpointPath, normalizeApiUrl, type QueryValue } from "./request-url.js";
import { RetryGate } from "./retry-gate.js";
import { decideRetry, type ResolvedRetryOptions, resolveRetryOptions } from "./retry-policy.js";
import {
  parseSessionDump,
  type SessionDump,
  type SessionTokens,
  serializeSessionDump,
} from "./session-dump.js";
import type {
  ApiRequestOptions,
  AuthenticateResult,
  HumanVerificationToken,
  SessionLoadOptions,
  SessionOptions,
  TokenChange,
  TokenChangeReason,
} from "./session-options.js";
import { sleep, waitUnlessAborted } from "./sleep.js";
import { bufferStreamedResponse, discardStream } from "./streamed-body.js";
import type { TwoFactorStatus } from "./two-factor.js";
import { UnsupportedSecondFactorError } from "./unsupported-second-factor-error.js";

/** The credentials a request carries. */
type Credentials =
  /** `x-pm-uid` and `Authorization` when logged in; nothing otherwise. */
  | "access"
  /** `x-pm-uid` only: the refresh request, whose access token may have expired. */
  | "uid"
  /** None: the login requests. */
  | "none";

/** One logical request, possibly sent several times (retries, replay after a refresh). */
interface RequestPlan {
  readonly method: string;
  readonly endpoint: string;
  readonly query?: Readonly<Record<string, QueryValue>> | undefined;
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
  readonly stream?: boolean | undefined;
  readonly credentials: Credentials;
  /** Whether a 401 triggers a refresh and one replay. */
  readonly refreshOn401: boolean;
  /** Whether the pending human-verification token is attached. */
  readonly humanVerification: boolean;
}

/** `User-Agent` when the options give none. */
const DEFAULT_USER_AGENT = "proton-ts";

/** The login request, which a solved human verification is meant for by default. */
const LOGIN_TARGET = "POST /auth/v4";

/** `RedirectURI` of the refresh request, the value Proton's clients send. */
const REFRESH_REDIRECT_URI = "https://protonmail.ch";

/**
 * A session with the Proton API: login with SRP and a second factor, authenticated requests
 * with refresh and retries, logout, and a dump that Proton's Python client can load too.
 *
 * The session contains secrets (its tokens). It keeps them in private fields, and its
 * `toJSON()` and Node.js inspection show only the UID and scopes.
 */
export class Session {
  readonly #apiUrl: string;
  readonly #appVersion: string;
  readonly #userAgent: string;
  readonly #options: SessionOptions;
  readonly #logger: Logger;
  readonly #retryOptions: ResolvedRetryOptions;
  readonly #retryGate: RetryGate;
  #cookies: CookieJar = new CookieJar();
  #tokens: SessionTokens | undefined;
  /**
   * Counts the logins and loads that stored tokens. A refresh keeps the count, so `logout` can
   * tell a refresh that replaced the tokens from a new login, whose tokens it must keep.
   */
  #loginCount = 0;
  #refreshInFlight: Promise<void> | undefined;
  /**
   * The second factors the current login still waits for; `undefined` when none is pending, and
   * after `load`, which does not store them.
   */
  #pendingTwoFactor: TwoFactorStatus | undefined;
  /** The error that ended the session when the server rejected the refresh token. */
  #expiry: SessionExpiredError | undefined;
  /** The solved human verification and the request (`METHOD /path`) it is meant for. */
  #humanVerification: { solved: HumanVerificationToken; target: string } | undefined;
  /** The request (`METHOD /path`) that last got code 9001. */
  #verificationTarget: string | undefined;
  /** The refresh token of the last `onTokenChange` call, or of the loaded dump. */
  #notifiedRefreshToken: string | undefined;
  #extraFields: Readonly<Record<string, unknown>> = {};
  #extraSessionData: Readonly<Record<string, unknown>> = {};

  constructor(options: SessionOptions) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError("Missing options: pass { apiUrl, appVersion, transport }.");
    }
    if (typeof options.transport?.request !== "function") {
      throw new TypeError(
        "Missing transport: pass one, such as createNodeTransport() from @proton/transport-node.",
      );
    }
    if (typeof options.appVersion !== "string" || options.appVersion === "") {
      throw new TypeError(
        'Missing appVersion: pass the x-pm-appversion value, such as "Other" or "my-client@1.0.0".',
      );
    }
    if (options.userAgent !== undefined && typeof options.userAgent !== "string") {
      throw new TypeError(`Invalid userAgent: expected a string, got ${typeof options.userAgent}.`);
    }
    requireHeaderText("appVersion", options.appVersion);
    if (options.userAgent !== undefined) {
      requireHeaderText("userAgent", options.userAgent);
    }
    if (options.timeoutMs !== undefined) {
      requireTimeoutMs("timeoutMs", options.timeoutMs);
    }

    this.#apiUrl = normalizeApiUrl(options.apiUrl);
    this.#appVersion = options.appVersion;
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#retryOptions = resolveRetryOptions(options.retry);
    this.#retryGate = new RetryGate(this.#retryOptions.maxRetries);
  }

  /**
   * Restores a session from `dump()` output, or from the dump of Proton's Python client, given
   * as an object or JSON text. Values in `options` override the dump's URL, app version and
   * user agent. Throws `InvalidSessionDumpError` naming the field that is wrong.
   */
  static load(dump: unknown, options: SessionLoadOptions): Session {
    const parsed = parseSessionDump(dump);
    const session = new this({
      ...options,
      apiUrl: options.apiUrl ?? parsed.apiUrl,
      appVersion: options.appVersion ?? parsed.appVersion,
      userAgent: options.userAgent ?? parsed.userAgent,
    });
    session.#tokens = parsed.tokens;
    session.#notifiedRefreshToken = parsed.tokens?.refreshToken;
    session.#loginCount++;
    session.#cookies = new CookieJar(parsed.cookies);
    session.#extraFields = parsed.extraFields;
    session.#extraSessionData = parsed.extraSessionData;
    session.#logger.debug("Loaded a session dump", { uid: parsed.tokens?.uid });
    return session;
  }

  get apiUrl(): string {
    return this.#apiUrl;
  }

  get appVersion(): string {
    return this.#appVersion;
  }

  get userAgent(): string {
    return this.#userAgent;
  }

  /** The session UID, sent as `x-pm-uid`; `undefined` when not logged in. */
  get uid(): string | undefined {
    return this.#tokens?.uid;
  }

  get accessToken(): string | undefined {
    return this.#tokens?.accessToken;
  }

  get refreshToken(): string | undefined {
    return this.#tokens?.refreshToken;
  }

  /** The granted scopes; empty when not logged in. */
  get scopes(): readonly string[] {
    return this.#tokens?.scopes ?? [];
  }

  /** 1: one password; 2: a separate mailbox password. `undefined` when unknown. */
  get passwordMode(): number | undefined {
    return this.#tokens?.passwordMode;
  }

  /** Whether the session has tokens. A second factor may still be missing (see `scopes`). */
  get isAuthenticated(): boolean {
    return this.#tokens !== undefined;
  }

  /**
   * Logs in with SRP: fetches the auth info, checks the signed modulus, sends the proofs and
   * checks the server's proof before it stores any token. For an account whose auth version is
   * unknown (0), it tries versions 2, 1 and 0 in turn while the server rejects the password.
   * When `twoFactor.required` is true, call `provide2FA` next.
   *
   * A session that is already logged in is logged out first.
   */
  async authenticate(username: string, password: string): Promise<AuthenticateResult> {
    if (typeof username !== "string" || username === "") {
      throw new TypeError("Missing username: pass the account name or email address.");
    }
    if (typeof password !== "string") {
      throw new TypeError("Missing password: pass the account password as a string.");
    }
    let lastAuthVersion: number | undefined;
    for (;;) {
      const infoRequest = this.#describe("POST", "/auth/v4/info");
      const infoBody = await this.#requestJson({
        method: "POST",
        endpoint: "/auth/v4/info",
        json: this.#withClientSecret({ Username: username }),
        credentials: "none",
        refreshOn401: false,
        humanVerification: false,
      });
      const info = readAuthInfo(infoBody, infoRequest);

      const { version, done } = getAuthVersionWithFallback(info, username, lastAuthVersion);
      const proofs = await getSrp(info, { username, password }, version, this.#srpOptions());

      let loginBody: ApiResponseBody;
      try {
        loginBody = await this.#requestJson({
          method: "POST",
          endpoint: "/auth/v4",
          json: this.#withClientSecret({
            Username: username,
            ClientEphemeral: proofs.clientEphemeral,
            ClientProof: proofs.clientProof,
            SRPSession: info.SRPSession,
          }),
          credentials: "none",
          refreshOn401: false,
          humanVerification: true,
        });
      } catch (error) {
        if (InvalidCredentialsError.isInstance(error) && !done) {
          this.#logger.info("Login rejected; trying the next auth version", {
            authVersion: version,
          });
          lastAuthVersion = version;
          continue;
        }
        throw error;
      }

      if (!verifyServerProof(proofs.expectedServerProof, loginBody["ServerProof"])) {
        throw new SrpError(
          "Login failed: the server proof does not match, so the server does not hold this account's verifier. No tokens were stored; check the API URL.",
          { reason: "server-proof-mismatch" },
        );
      }

      const login = readLoginReply(loginBody, this.#describe("POST", "/auth/v4"));
      if (this.#tokens !== undefined) {
        // The previous session ends only now that the new login worked, so a mistyped
        // password or a network failure keeps it.
        await this.#logoutBeforeLogin();
      }
      this.#expiry = undefined;
      this.#pendingTwoFactor = login.twoFactor.required ? login.twoFactor : undefined;
      this.#loginCount++;
      this.#tokens = {
        uid: login.uid,
        accessToken: login.accessToken,
        refreshToken: login.refreshToken,
        scopes: login.scopes,
        passwordMode: login.passwordMode,
      };
      this.#logger.info("Logged in", {
        uid: login.uid,
        authVersion: version,
        scopes: login.scopes,
        twoFactor: login.twoFactor.enabled,
      });
      await this.#notifyTokenChange("login");

      return {
        uid: login.uid,
        scopes: login.scopes,
        passwordMode: login.passwordMode,
        twoFactor: login.twoFactor,
        authVersion: version,
      };
    }
  }

  /**
   * Sends a second-factor code (TOTP, see `generateTotp`) and stores the scopes the server
   * grants. A wrong code throws `InvalidCredentialsError`.
   */
  async provide2FA(code: string): Promise<readonly string[]> {
    if (typeof code !== "string" || code.trim() === "") {
      throw new TypeError("Missing 2FA code: pass the 6-digit code as a string.");
    }
    this.#requireTokens("provide2FA");
    if (this.#needsSecurityKey()) {
      throw new UnsupportedSecondFactorError(
        "Cannot send a 2FA code: this account's only second factor is a security key (FIDO2), which this client does not support. Enable TOTP on the account, or log in with another client.",
      );
    }

    const body = await this.#requestJson({
      method: "POST",
      endpoint: "/auth/v4/2fa",
      json: { TwoFactorCode: code.trim() },
      credentials: "access",
      refreshOn401: true,
      humanVerification: true,
    });

    const tokens = this.#requireTokens("provide2FA");
    const scopes = readScopes(body) ?? tokens.scopes;
    this.#tokens = { ...tokens, scopes };
    this.#pendingTwoFactor = undefined;
    this.#logger.info("Second factor accepted", { uid: tokens.uid, scopes });
    await this.#notifyTokenChange("2fa");
    return scopes;
  }

  /**
   * Sends a request to `endpoint` (a path such as `/core/v4/users`) and returns the parsed
   * JSON body, or the transport response with `raw: true`. Success is HTTP 2xx with body `Code`
   * 1000 or 1001; anything else throws the `@proton/errors` error it maps to.
   *
   * A 401 refreshes the tokens once and replays the request once. 429 and 503 wait for
   * `Retry-After` and retry within the session's shared budget; 408 and 502 retry once for
   * idempotent methods.
   */
  apiRequest<T extends ApiResponseBody = ApiResponseBody>(
    endpoint: string,
    options?: ApiRequestOptions & { raw?: false | undefined },
  ): Promise<T>;
  apiRequest(
    endpoint: string,
    options: ApiRequestOptions & { raw: true },
  ): Promise<TransportResponse>;
  async apiRequest(
    endpoint: string,
    options: ApiRequestOptions = {},
  ): Promise<ApiResponseBody | TransportResponse> {
    const plan: RequestPlan = {
      method: (options.method ?? (options.json === undefined ? "GET" : "POST")).toUpperCase(),
      endpoint,
      query: options.query,
      json: options.json,
      headers: options.headers,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      stream: options.raw === true && options.stream === true,
      credentials: "access",
      refreshOn401: true,
      humanVerification: true,
    };
    // Validates the endpoint and the timeout before anything is sent.
    buildRequestUrl(this.#apiUrl, endpoint, options.query);
    if (options.timeoutMs !== undefined) {
      requireTimeoutMs("options.timeoutMs", options.timeoutMs);
    }

    try {
      if (options.raw === true) {
        const response = await this.#send(plan);
        if (response.status >= 200 && response.status < 300) {
          return response;
        }
        throw await this.#errorFor(response, plan);
      }
      return await this.#requestJson(plan);
    } catch (error) {
      throw this.#explainMissingScope(error);
    }
  }

  /**
   * Replaces the access and refresh tokens. Concurrent calls, and 401s met by concurrent
   * requests, share one refresh.
   *
   * A rejected refresh token ends the session: the tokens are removed and `SessionExpiredError`
   * is thrown. Rejected means code 10013, or HTTP 400 or 422 with a JSON `Code` other than the
   * human-verification, throttling and app-version codes. Any other failure (a timeout, a reset,
   * a 5xx, a 400 without a JSON `Code`) keeps the stored tokens and throws that error, so a later
   * refresh can still succeed.
   */
  async refresh(): Promise<void> {
    this.#requireTokens("refresh");
    await this.#refreshOnce();
  }

  /**
   * Ends the session on the server (`DELETE /auth/v4`) and removes the tokens. A 401 means the
   * server had already ended it and counts as success. The local tokens are removed whatever
   * the outcome, also when a refresh replaced them while the request waited; another failure
   * is thrown after that. Tokens of a login that finished meanwhile are kept. Does nothing when
   * not logged in.
   */
  async logout(): Promise<void> {
    const tokens = this.#tokens;
    if (tokens === undefined) {
      return;
    }
    const loginCount = this.#loginCount;

    try {
      await this.#requestJson({
        method: "DELETE",
        endpoint: "/auth/v4",
        credentials: "access",
        refreshOn401: false,
        humanVerification: false,
      });
      this.#logger.info("Logged out", { uid: tokens.uid });
    } catch (error) {
      if (!(ApiError.isInstance(error) && error.status === 401)) {
        this.#logger.warn("Logout request failed; removing the local tokens anyway", {
          uid: tokens.uid,
          error: describeError(error),
        });
        throw error;
      }
      this.#logger.info("Logged out; the server had already ended the session", {
        uid: tokens.uid,
      });
    } finally {
      this.#humanVerification = undefined;
      this.#verificationTarget = undefined;
      if (this.#tokens !== undefined && this.#loginCount === loginCount) {
        this.#tokens = undefined;
        this.#pendingTwoFactor = undefined;
        await this.#notifyTokenChange("logout");
      }
    }
  }

  /**
   * Returns the session as a JSON-compatible object that `Session.load` and Proton's Python
   * client read. It contains the tokens: store it as a secret.
   */
  dump(): SessionDump {
    return serializeSessionDump({
      apiUrl: this.#apiUrl,
      appVersion: this.#appVersion,
      userAgent: this.#userAgent,
      cookies: this.#cookies.toRecord(),
      tokens: this.#tokens,
      extraFields: this.#extraFields,
      extraSessionData: this.#extraSessionData,
    });
  }

  /**
   * Sets the solved human verification for the request that last got code 9001: the login
   * request of the next `authenticate`, or the next `apiRequest` with the same method and
   * endpoint path. Without an earlier 9001 it is meant for the next login. Other requests never
   * carry it. It is sent once and then discarded whatever the outcome.
   */
  setHumanVerificationToken(solved: HumanVerificationToken): void {
    if (
      typeof solved !== "object" ||
      solved === null ||
      typeof solved.type !== "string" ||
      solved.type === "" ||
      typeof solved.token !== "string" ||
      solved.token === ""
    ) {
      throw new TypeError(
        'Invalid human verification: pass { type, token }, such as { type: "captcha", token }.',
      );
    }
    this.#humanVerification = {
      solved: { type: solved.type, token: solved.token },
      target: this.#verificationTarget ?? LOGIN_TARGET,
    };
    this.#verificationTarget = undefined;
  }

  /** Returns the non-secret state for logs: the API URL, UID and scopes, without tokens. */
  toJSON(): Record<string, unknown> {
    return { apiUrl: this.#apiUrl, uid: this.uid, scopes: this.scopes };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Session ${JSON.stringify(this.toJSON())}`;
  }

  async #requestJson(plan: RequestPlan): Promise<ApiResponseBody> {
    const response = await this.#send(plan);
    try {
      return readSuccessBody(response, this.#describe(plan.method, plan.endpoint, plan.query));
    } catch (error) {
      this.#noteVerificationTarget(error, plan);
      throw error;
    }
  }

  /**
   * Sends a request until it gets a response that is final for it: replays it once after a 401
   * (with a refresh unless another request already replaced the token) and retries it as
   * `decideRetry` allows. Returns the last response, whatever its status.
   */
  async #send(plan: RequestPlan): Promise<TransportResponse> {
    const url = buildRequestUrl(this.#apiUrl, plan.endpoint, plan.query);
    const path = endpointPath(plan.endpoint);
    const humanVerification = plan.humanVerification
      ? this.#takeHumanVerification(`${plan.method} ${path}`)
      : undefined;
    const startTokens = this.#tokens;
    let replayed = false;
    let throttleRetries = 0;
    let transientRetries = 0;

    for (;;) {
      const closedForMs = await this.#retryGate.waitForOpening(
        this.#retryOptions.maxRetryAfterMs,
        plan.signal,
      );
      if (closedForMs !== undefined) {
        throw new RateLimitError(
          `${plan.method} ${path} was not sent: the API asked this session to wait ${Math.ceil(closedForMs / 1000)} s (Retry-After), longer than retry.maxRetryAfterMs. Retry after that wait.`,
          {
            status: 429,
            retryAfterMs: closedForMs,
            request: this.#describe(plan.method, plan.endpoint),
          },
        );
      }
      if (plan.credentials === "access" && this.#refreshInFlight !== undefined) {
        // A failed refresh is reported to the requests that needed it; this one just goes on.
        await waitUnlessAborted(
          this.#refreshInFlight.catch(() => undefined),
          plan.signal,
        );
      }

      const tokens = this.#tokens;
      if (startTokens !== undefined && tokens === undefined && this.#expiry !== undefined) {
        // The session ended while this request waited for a refresh or a retry.
        throw this.#expiry;
      }
      const response = await this.#options.transport.request(
        this.#buildTransportRequest(plan, url, tokens, humanVerification),
      );
      this.#cookies.storeSetCookie(response.headers["set-cookie"]);

      if (response.status === 401 && plan.refreshOn401 && tokens !== undefined && !replayed) {
        replayed = true;
        await discardStream(response);
        if (this.#tokens === tokens) {
          this.#logger.info("Access token rejected; refreshing", { uid: tokens.uid, path });
          await waitUnlessAborted(this.#refreshOnce(), plan.signal);
        } else {
          this.#logger.debug("Replaying a request sent with a replaced access token", {
            uid: tokens.uid,
            path,
          });
        }
        continue;
      }

      if (response.status !== 429 && response.status !== 503) {
        this.#retryGate.refill();
      }
      if (response.status < 400) {
        return response;
      }

      const failed = plan.stream === true ? await bufferStreamedResponse(response) : response;
      const body = failed.body;
      const decision = decideRetry(
        {
          method: plan.method,
          status: response.status,
          code: readBodyCode(tryParseJson(body)),
          retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
          throttleRetries,
          transientRetries,
        },
        this.#retryOptions,
      );
      if (!decision.retry) {
        this.#holdBeyondCap(response);
        return failed;
      }
      if (!this.#retryGate.tryTakeRetry()) {
        this.#logger.warn("Retry budget used up; not retrying", {
          uid: tokens?.uid,
          method: plan.method,
          path,
          status: response.status,
        });
        return failed;
      }

      if (decision.kind === "throttle") {
        throttleRetries++;
        this.#retryGate.pause(decision.delayMs);
      } else {
        transientRetries++;
      }
      this.#logger.warn("Retrying request", {
        uid: tokens?.uid,
        method: plan.method,
        path,
        status: response.status,
        delayMs: decision.delayMs,
        attempt: throttleRetries + transientRetries,
      });
      await sleep(decision.delayMs, plan.signal);
    }
  }

  /**
   * Holds back every request of the session after a 429 or 503 whose `Retry-After` exceeds
   * `retry.maxRetryAfterMs`: the request that got it fails at once, and so do the requests that
   * would be sent before that wait is over.
   */
  #holdBeyondCap(response: TransportResponse): void {
    if (response.status !== 429 && response.status !== 503) {
      return;
    }
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
    if (retryAfterMs !== undefined && retryAfterMs > this.#retryOptions.maxRetryAfterMs) {
      this.#retryGate.pause(retryAfterMs);
    }
  }

  #buildTransportRequest(
    plan: RequestPlan,
    url: string,
    tokens: SessionTokens | undefined,
    humanVerification: HumanVerificationToken | undefined,
  ): TransportRequest {
    const headers: Record<string, string> = {
      accept: "application/vnd.protonmail.v1+json",
    };
    for (const [name, value] of Object.entries(plan.headers ?? {})) {
      headers[name.toLowerCase()] = value;
    }
    headers["x-pm-appversion"] = this.#appVersion;
    headers["user-agent"] = this.#userAgent;

    const cookie = this.#cookies.header();
    if (cookie !== undefined) {
      headers["cookie"] = cookie;
    }
    if (tokens !== undefined && plan.credentials !== "none") {
      headers["x-pm-uid"] = tokens.uid;
      if (plan.credentials === "access") {
        headers["authorization"] = `Bearer ${tokens.accessToken}`;
      }
    }
    if (humanVerification !== undefined) {
      headers["x-pm-human-verification-token"] = humanVerification.token;
      headers["x-pm-human-verification-token-type"] = humanVerification.type;
    }

    const timeoutMs = plan.timeoutMs ?? this.#options.timeoutMs;
    return {
      method: plan.method,
      url,
      headers,
      ...(plan.json === undefined ? {} : { body: plan.json }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(plan.signal === undefined ? {} : { signal: plan.signal }),
      ...(plan.stream === true ? { stream: true } : {}),
    };
  }

  /** Starts a refresh, or joins the one in flight. */
  #refreshOnce(): Promise<void> {
    if (this.#refreshInFlight === undefined) {
      this.#refreshInFlight = this.#performRefresh().finally(() => {
        this.#refreshInFlight = undefined;
      });
    }
    return this.#refreshInFlight;
  }

  async #performRefresh(): Promise<void> {
    const tokens = this.#requireTokens("refresh");

    let body: ApiResponseBody;
    try {
      body = await this.#requestJson({
        method: "POST",
        endpoint: "/auth/v4/refresh",
        json: {
          UID: tokens.uid,
          RefreshToken: tokens.refreshToken,
          ResponseType: "token",
          GrantType: "refresh_token",
          RedirectURI: REFRESH_REDIRECT_URI,
          State: randomState(),
        },
        credentials: "uid",
        refreshOn401: false,
        humanVerification: false,
      });
    } catch (error) {
      if (isDefinitiveRefreshFailure(error)) {
        if (this.#tokens === tokens && (await this.#adoptReloadedTokens(tokens))) {
          return;
        }
        this.#logger.warn("Refresh token rejected; the session has ended", {
          uid: tokens.uid,
          error: describeError(error),
        });
        const expiry = toSessionExpired(error);
        if (this.#tokens === tokens) {
          this.#tokens = undefined;
          this.#pendingTwoFactor = undefined;
          this.#expiry = expiry;
          await this.#notifyTokenChange("expired");
        }
        throw expiry;
      }
      this.#logger.warn("Refresh failed; keeping the stored tokens", {
        uid: tokens.uid,
        error: describeError(error),
      });
      throw error;
    }

    if (this.#tokens !== tokens) {
      // A logout or a new login replaced the tokens while the refresh was in flight.
      this.#logger.debug("Discarding a refresh reply for replaced tokens", { uid: tokens.uid });
      return;
    }

    const accessToken = readNonEmptyString(body, "AccessToken");
    if (accessToken === undefined) {
      throw new UnexpectedResponseError(
        "Unexpected reply to POST /auth/v4/refresh: it has no AccessToken. The stored tokens were kept.",
        {
          status: 200,
          contentType: "application/json",
          request: this.#describe("POST", "/auth/v4/refresh"),
        },
      );
    }
    this.#tokens = {
      uid: readNonEmptyString(body, "UID") ?? tokens.uid,
      accessToken,
      // A reply without a refresh token or scopes keeps the stored ones, never an empty value.
      refreshToken: readNonEmptyString(body, "RefreshToken") ?? tokens.refreshToken,
      scopes: readScopes(body) ?? tokens.scopes,
      passwordMode: tokens.passwordMode,
    };
    this.#logger.info("Refreshed the tokens", { uid: tokens.uid });
    await this.#notifyTokenChange("refresh");
  }

  /**
   * Reads the dump through `reloadDump` and adopts its tokens when they belong to the same
   * session but carry another refresh token. Returns whether it adopted them.
   */
  async #adoptReloadedTokens(rejected: SessionTokens): Promise<boolean> {
    const reloadDump = this.#options.reloadDump;
    if (reloadDump === undefined) {
      return false;
    }

    let reloaded: SessionTokens | undefined;
    try {
      const dump = await reloadDump();
      reloaded = dump === undefined ? undefined : parseSessionDump(dump).tokens;
    } catch (error) {
      this.#logger.warn("Could not reload the session dump after a rejected refresh", {
        uid: rejected.uid,
        error: describeError(error),
      });
      return false;
    }

    if (
      reloaded === undefined ||
      reloaded.uid !== rejected.uid ||
      reloaded.refreshToken === rejected.refreshToken ||
      this.#tokens !== rejected
    ) {
      return false;
    }
    this.#tokens = reloaded;
    this.#logger.info("Adopted the tokens another process stored for this session", {
      uid: reloaded.uid,
    });
    await this.#notifyTokenChange("reload");
    return true;
  }

  async #logoutBeforeLogin(): Promise<void> {
    try {
      await this.logout();
    } catch (error) {
      this.#logger.warn("Logout before a new login failed; logging in anyway", {
        error: describeError(error),
      });
    }
  }

  async #notifyTokenChange(reason: TokenChangeReason): Promise<void> {
    const callback = this.#options.onTokenChange;
    if (callback === undefined) {
      return;
    }
    const tokens = this.#tokens;
    const previousRefreshToken = this.#notifiedRefreshToken;
    this.#notifiedRefreshToken = tokens?.refreshToken;
    const change: TokenChange = {
      reason,
      uid: tokens?.uid,
      accessToken: tokens?.accessToken,
      refreshToken: tokens?.refreshToken,
      previousRefreshToken,
      scopes: tokens?.scopes ?? [],
      dump: this.dump(),
    };
    try {
      await callback(change);
    } catch (error) {
      this.#logger.error("The onTokenChange callback failed", {
        reason,
        uid: tokens?.uid,
        error: describeError(error),
      });
    }
  }

  async #errorFor(response: TransportResponse, plan: RequestPlan): Promise<Error> {
    const buffered = await bufferStreamedResponse(response);
    const error = createResponseError(
      buffered,
      this.#describe(plan.method, plan.endpoint, plan.query),
    );
    this.#noteVerificationTarget(error, plan);
    return error;
  }

  /** Records the request that got code 9001, so the solved verification goes to it alone. */
  #noteVerificationTarget(error: unknown, plan: RequestPlan): void {
    if (plan.humanVerification && HumanVerificationRequiredError.isInstance(error)) {
      this.#verificationTarget = `${plan.method} ${endpointPath(plan.endpoint)}`;
    }
  }

  /** Whether the login waits for a second factor that only a security key can give. */
  #needsSecurityKey(): boolean {
    return this.#pendingTwoFactor?.fido2 === true && !this.#pendingTwoFactor.totp;
  }

  /**
   * Replaces the 403 of a request made while a security-key-only second factor is pending with
   * an error that names the cause, because no call of this client can lift that scope.
   */
  #explainMissingScope(error: unknown): unknown {
    if (!MissingScopeError.isInstance(error) || !this.#needsSecurityKey()) {
      return error;
    }
    return new UnsupportedSecondFactorError(
      "Request rejected with HTTP 403: the login still needs its second factor, and this account's only second factor is a security key (FIDO2), which this client does not support. Enable TOTP on the account, or log in with another client.",
      { cause: error },
    );
  }

  /** Returns the solved verification when it is meant for `target`, and discards it. */
  #takeHumanVerification(target: string): HumanVerificationToken | undefined {
    const pending = this.#humanVerification;
    if (pending === undefined || pending.target !== target) {
      return undefined;
    }
    this.#humanVerification = undefined;
    return pending.solved;
  }

  #requireTokens(operation: string): SessionTokens {
    if (this.#tokens === undefined) {
      throw new TypeError(
        `Cannot ${operation}: the session is not logged in. Call authenticate first.`,
      );
    }
    return this.#tokens;
  }

  #withClientSecret(body: Record<string, unknown>): Record<string, unknown> {
    const secret = this.#options.clientSecret;
    return secret === undefined ? body : { ...body, ClientSecret: secret };
  }

  #srpOptions(): { modulusKey?: string; random?: (length: number) => Uint8Array } {
    const srp = this.#options.srp;
    return {
      ...(srp?.modulusKey === undefined ? {} : { modulusKey: srp.modulusKey }),
      ...(srp?.random === undefined ? {} : { random: srp.random }),
    };
  }

  #describe(
    method: string,
    endpoint: string,
    query?: Readonly<Record<string, QueryValue>>,
  ): RequestDescription {
    return { method, url: buildRequestUrl(this.#apiUrl, endpoint, query) };
  }
}
