import { randomBytes } from "node:crypto";
import { type FakeApi, type FakeUserInput, startFakeApi } from "@proton/fake-api";
import { createNodeTransport } from "@proton/transport-node";
import {
  type LogFields,
  type Logger,
  Session,
  type SessionLoadOptions,
  type SessionOptions,
  type TokenChange,
} from "../src/index.js";

/** One entry written to a `CapturingLogger`. */
export interface LogEntry {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A logger that keeps every entry, so tests can read what the session logged. */
export class CapturingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(message: string, fields?: LogFields): void {
    this.entries.push({ level: "debug", message, fields });
  }
  info(message: string, fields?: LogFields): void {
    this.entries.push({ level: "info", message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.entries.push({ level: "warn", message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.entries.push({ level: "error", message, fields });
  }

  /** Returns each entry as one serialised line, the way a JSON log would store it. */
  lines(): string[] {
    return this.entries.map((entry) => JSON.stringify(entry));
  }

  withMessage(message: string): LogEntry[] {
    return this.entries.filter((entry) => entry.message === message);
  }
}

/** A session against the fake API, with everything a test inspects. */
export interface TestSession {
  readonly session: Session;
  readonly logger: CapturingLogger;
  readonly changes: TokenChange[];
  close(): Promise<void>;
}

type TestSessionOptions = Partial<Omit<SessionOptions, "transport" | "logger" | "onTokenChange">>;

/** Starts a fake API over HTTPS with the given users. */
export function startTestApi(users: FakeUserInput[] = []): Promise<FakeApi> {
  return startFakeApi({ users });
}

/** Returns a username no other test uses, so tests can share one fake API. */
export function uniqueUsername(prefix = "user"): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

function pinnedTransport(api: FakeApi) {
  return createNodeTransport({ pins: [api.pin], ca: api.ca });
}

/**
 * Creates a session over HTTPS pinned to the fake API's certificate, or over plain HTTP without
 * pinning when `options.apiUrl` is the loopback relay's `http:` URL.
 */
export function createTestSession(api: FakeApi, options: TestSessionOptions = {}): TestSession {
  const transport = options.apiUrl?.startsWith("http:")
    ? createNodeTransport({ pinning: false })
    : pinnedTransport(api);
  const logger = new CapturingLogger();
  const changes: TokenChange[] = [];
  const session = new Session({
    apiUrl: api.url,
    appVersion: "Other",
    userAgent: "proton-ts-tests",
    ...options,
    transport,
    logger,
    onTokenChange: (change) => {
      changes.push(change);
    },
  });
  return { session, logger, changes, close: () => transport.close() };
}

/** Loads a dump into a session over HTTPS pinned to the fake API's certificate. */
export function loadTestSession(
  api: FakeApi,
  dump: unknown,
  options: Partial<Omit<SessionLoadOptions, "transport" | "logger" | "onTokenChange">> = {},
): TestSession {
  const transport = pinnedTransport(api);
  const logger = new CapturingLogger();
  const changes: TokenChange[] = [];
  const session = Session.load(dump, {
    ...options,
    transport,
    logger,
    onTokenChange: (change) => {
      changes.push(change);
    },
  });
  return { session, logger, changes, close: () => transport.close() };
}

/** Adds a user with a fresh name and returns its input. */
export async function addUser(
  api: FakeApi,
  fields: Partial<FakeUserInput> = {},
): Promise<FakeUserInput> {
  const user: FakeUserInput = {
    username: uniqueUsername(),
    password: `pw-${randomBytes(8).toString("hex")}`,
    ...fields,
  };
  await api.control.addUser(user);
  return user;
}

/** Runs `action` and returns what it threw; fails the test when it does not throw. */
export async function catchError(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("Expected the action to throw, but it returned.");
}

/** Counts the request-log entries of a route, such as "POST /auth/v4/refresh". */
export function countRoute(api: FakeApi, route: string): number {
  return api.control.requestLog().filter((entry) => entry.route === route).length;
}
