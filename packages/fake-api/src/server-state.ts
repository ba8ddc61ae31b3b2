import type { IncomingHttpHeaders } from "node:http";
import type { FaultRegistry } from "./fault-registry.js";
import type { HumanVerificationStore } from "./human-verification.js";
import type { RandomSource } from "./random-values.js";
import type { RequestLog } from "./request-log.js";
import type { SessionStore } from "./session-store.js";
import type { RequestLogEntry } from "./types.js";
import type { StoredUser, UserStore } from "./user-store.js";

/** A login between `/auth/v4/info` and `/auth/v4`, keyed by its `SRPSession`. */
export interface PendingLogin {
  /** Lower-case username the info request named. */
  usernameKey: string;
  /** The account, or undefined for an unknown username (the proof then always fails). */
  user: StoredUser | undefined;
  checkClientProof(clientEphemeral: string, clientProof: string): Promise<string>;
  /** A proof already accepted, kept so a retry after Code 9001 gets the same server proof. */
  accepted?: { clientEphemeral: string; clientProof: string; serverProof: string };
  expiresAt: number;
}

/** Everything the route handlers share. */
export interface ServerState {
  users: UserStore;
  sessions: SessionStore;
  verifications: HumanVerificationStore;
  faults: FaultRegistry;
  log: RequestLog;
  pendingLogins: Map<string, PendingLogin>;
  random: RandomSource;
  /** HMAC key that derives the salts and verifiers sent for unknown usernames. */
  unknownUserSecret: Uint8Array;
  /** N of each signed modulus, in the order of `SIGNED_MODULI`. */
  moduli: readonly Uint8Array[];
  appVersionRule: (appVersion: string) => boolean;
  /** Returns the page where a person solves a verification token. */
  verificationUrl: (token: string) => string;
}

/** One API request as the handlers see it. */
export interface RequestContext {
  method: string;
  path: string;
  /** Normalised route, such as "POST /auth/v4/refresh". */
  route: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; empty for a request without one. */
  body: Record<string, unknown>;
  /** The log entry of this request; handlers fill in the UID and the token used. */
  entry: RequestLogEntry;
}

/** A route handler returns the body of a 200 response or throws `ApiFailure`. */
export type RouteHandler = (
  state: ServerState,
  context: RequestContext,
) => Promise<Record<string, unknown>>;

/** Reads one request header as a string, or undefined when it is absent or repeated. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : undefined;
}
