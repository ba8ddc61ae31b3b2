import { hashToken, type RandomSource, randomToken } from "./random-values.js";
import type { StoredUser } from "./user-store.js";

/** Scopes of a fully logged-in free account on the live API. */
export const FULL_SCOPES: readonly string[] = [
  "full",
  "self",
  "payments",
  "keys",
  "parent",
  "user",
  "loggedin",
  "nondelinquent",
  "mail",
  "verified",
  "settings",
];

/** The only scope of a session whose second factor is still pending. */
export const TWO_FACTOR_SCOPES: readonly string[] = ["twofactor"];

/** A logged-in session. Tokens are kept as SHA-256 hashes only. */
export interface Session {
  uid: string;
  user: StoredUser;
  accessTokenHash: string;
  /** Time after which the access token is rejected, in milliseconds since the epoch. */
  accessExpiresAt: number;
  refreshTokenHash: string;
  scopes: readonly string[];
  createTime: number;
}

/** Fresh credentials, returned once and never stored in clear. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
}

/** The result of checking a credential: the session, or why there is none. */
export type TokenCheck =
  | { state: "valid"; session: Session }
  | { state: "expired"; session: Session }
  | { state: "invalid" };

export class SessionStore {
  readonly #random: RandomSource;
  readonly #lifetimeMs: number;
  readonly #byUid = new Map<string, Session>();

  constructor(random: RandomSource, tokenLifetimeSeconds: number) {
    this.#random = random;
    this.#lifetimeMs = tokenLifetimeSeconds * 1000;
  }

  create(user: StoredUser, scopes: readonly string[]): { session: Session; tokens: IssuedTokens } {
    const tokens = this.#issueTokens();
    const session: Session = {
      uid: randomToken(this.#random),
      user,
      accessTokenHash: hashToken(tokens.accessToken),
      accessExpiresAt: Date.now() + this.#lifetimeMs,
      refreshTokenHash: hashToken(tokens.refreshToken),
      scopes,
      createTime: Math.floor(Date.now() / 1000),
    };
    this.#byUid.set(session.uid, session);
    return { session, tokens };
  }

  get(uid: string): Session | undefined {
    return this.#byUid.get(uid);
  }

  /** Checks an access token against the session named by `uid`. */
  checkAccessToken(uid: string, accessToken: string): TokenCheck {
    const session = this.#byUid.get(uid);
    if (session === undefined || session.accessTokenHash !== hashToken(accessToken)) {
      return { state: "invalid" };
    }
    if (Date.now() >= session.accessExpiresAt) {
      return { state: "expired", session };
    }
    return { state: "valid", session };
  }

  /** Checks a refresh token against the session named by `uid`. */
  checkRefreshToken(uid: string, refreshToken: string): TokenCheck {
    const session = this.#byUid.get(uid);
    if (session === undefined || session.refreshTokenHash !== hashToken(refreshToken)) {
      return { state: "invalid" };
    }
    return { state: "valid", session };
  }

  /** Replaces both tokens of a session; the old ones stop working at once. */
  rotate(session: Session): IssuedTokens {
    const tokens = this.#issueTokens();
    session.accessTokenHash = hashToken(tokens.accessToken);
    session.refreshTokenHash = hashToken(tokens.refreshToken);
    session.accessExpiresAt = Date.now() + this.#lifetimeMs;
    return tokens;
  }

  delete(uid: string): void {
    this.#byUid.delete(uid);
  }

  /** Sessions of one user (by user ID), or all sessions. */
  list(userId?: string): Session[] {
    return [...this.#byUid.values()].filter(
      (session) => userId === undefined || session.user.id === userId,
    );
  }

  get lifetimeSeconds(): number {
    return this.#lifetimeMs / 1000;
  }

  #issueTokens(): IssuedTokens {
    return { accessToken: randomToken(this.#random), refreshToken: randomToken(this.#random) };
  }
}
