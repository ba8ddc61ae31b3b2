import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ApiSessionOptions,
  type LogFields,
  type Logger,
  Session,
  type SessionDump,
  type TokenChange,
} from "@proton/api";
import type { FakeApi, FakeUserInput } from "@proton/fake-api";

/** Where a client connects: the fake API itself or a rewriting proxy in front of it. */
export interface Endpoint {
  /** Base URL, such as `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** SPKI SHA-256 pin (base64) of the certificate the endpoint serves. */
  readonly pin: string;
  /** PEM of the CA that signed that certificate. */
  readonly ca: string;
}

/** One entry written to a `CapturingLogger`. */
export interface LogEntry {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A logger that keeps every entry and can run a hook on each, so a test can react to a retry. */
export class CapturingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  onEntry: ((entry: LogEntry) => void) | undefined;

  debug(message: string, fields?: LogFields): void {
    this.#add({ level: "debug", message, fields });
  }
  info(message: string, fields?: LogFields): void {
    this.#add({ level: "info", message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.#add({ level: "warn", message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.#add({ level: "error", message, fields });
  }

  /** Serialises each entry as one JSON line, the way a log file would store it. */
  lines(): string[] {
    return this.entries.map((entry) => JSON.stringify(entry));
  }

  #add(entry: LogEntry): void {
    this.entries.push(entry);
    this.onEntry?.(entry);
  }
}

/**
 * A file that stores the session dump the way an application does: `onTokenChange` writes each
 * `change.dump` to a temporary file and renames it over the real one, so a reader never sees a
 * half-written file.
 */
export class DumpFile {
  readonly path: string;
  /** Every change passed to `persist`, in order. */
  readonly changes: TokenChange[] = [];

  constructor(path: string) {
    this.path = path;
  }

  /** Creates a dump file path in a new temporary folder; the file itself does not exist yet. */
  static async create(): Promise<DumpFile> {
    const folder = await mkdtemp(join(tmpdir(), "proton-reliability-"));
    return new DumpFile(join(folder, "session.json"));
  }

  /** Extra time each `persist` takes, in milliseconds, like a slow disk or a keychain prompt. */
  persistDelayMs = 0;
  /** Error thrown by each `persist` after it wrote the file, like a failing backup copy. */
  persistError: Error | undefined;
  /** `Date.now()` when each `persist` finished, in the order of `changes`. */
  readonly persistedAt: number[] = [];

  /** The persist in progress; persists run one at a time, as under a file lock. */
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * The `onTokenChange` callback, written the way the session README advises: one write at a
   * time, and an "expired" change is written only while the file still contains the refresh token the server rejected, because another process may have stored newer tokens.
   */
  readonly persist = (change: TokenChange): Promise<void> => {
    const run = this.#queue.then(() => this.#persist(change));
    this.#queue = run.catch(() => undefined);
    return run;
  };

  async #persist(change: TokenChange): Promise<void> {
    this.changes.push(change);
    if (
      change.reason === "expired" &&
      !(await this.holdsRefreshToken(change.previousRefreshToken))
    ) {
      this.persistedAt.push(Date.now());
      return;
    }
    await this.write(JSON.stringify(change.dump));
    if (this.persistDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.persistDelayMs));
    }
    this.persistedAt.push(Date.now());
    if (this.persistError !== undefined) {
      throw this.persistError;
    }
  }

  /** Whether the stored dump contains `refreshToken`. False when the file cannot be read. */
  async holdsRefreshToken(refreshToken: string | undefined): Promise<boolean> {
    try {
      const stored = JSON.parse(await this.readText()) as {
        session_data?: { RefreshToken?: unknown };
      };
      return stored.session_data?.RefreshToken === refreshToken;
    } catch {
      return false;
    }
  }

  async write(text: string): Promise<void> {
    const temporary = `${this.path}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, this.path);
  }

  async readText(): Promise<string> {
    return readFile(this.path, "utf8");
  }

  /** Reads and parses the dump on disk. */
  async read(): Promise<SessionDump> {
    return JSON.parse(await this.readText()) as SessionDump;
  }

  /** Reasons of the recorded token changes, such as `["login", "refresh"]`. */
  reasons(): string[] {
    return this.changes.map((change) => change.reason);
  }

  async remove(): Promise<void> {
    await rm(join(this.path, ".."), { recursive: true, force: true });
  }
}

/** A session under test, with its logger and its dump file. */
export interface TestClient {
  readonly session: Session;
  readonly logger: CapturingLogger;
  readonly dumpFile: DumpFile;
  close(): Promise<void>;
}

/** Session options a test may set; the endpoint, logger and persistence come from the helper. */
export type ClientOptions = Partial<
  Omit<ApiSessionOptions, "apiUrl" | "transport" | "pins" | "ca" | "logger" | "onTokenChange">
>;

/** Options that pin the endpoint's certificate; the facade creates its own transport from them. */
function pinnedTo(endpoint: Endpoint): Pick<ApiSessionOptions, "pins" | "ca"> {
  return { pins: [endpoint.pin], ca: endpoint.ca };
}

/**
 * Creates a `Session` from `@proton/api` that connects to `endpoint` over HTTPS pinned to its
 * certificate, persists every token change to a fresh dump file and logs into a capturing logger.
 */
export async function createClient(
  endpoint: Endpoint,
  options: ClientOptions = {},
): Promise<TestClient> {
  const dumpFile = await DumpFile.create();
  const logger = new CapturingLogger();
  const session = new Session({
    appVersion: "Other",
    userAgent: "proton-ts-reliability",
    ...options,
    ...pinnedTo(endpoint),
    apiUrl: endpoint.url,
    logger,
    onTokenChange: dumpFile.persist,
  });
  return {
    session,
    logger,
    dumpFile,
    close: async () => {
      await session.close();
      await dumpFile.remove();
    },
  };
}

/**
 * Loads a session from the dump in `dumpFile`, the way an application restarts: it reads the
 * file, passes the text to `Session.load` and persists later changes to the same file. Pass
 * `reloadDump: () => dumpFile.readText()` in `options` to let it adopt tokens that another
 * session stored there.
 */
export async function loadClient(
  endpoint: Endpoint,
  dumpFile: DumpFile,
  options: ClientOptions = {},
): Promise<TestClient> {
  const logger = new CapturingLogger();
  const session = Session.load(await dumpFile.readText(), {
    ...options,
    ...pinnedTo(endpoint),
    apiUrl: endpoint.url,
    logger,
    onTokenChange: dumpFile.persist,
  });
  return { session, logger, dumpFile, close: () => session.close() };
}

/**
 * Checks that no token the session ever held appears in its log lines. The tokens come from
 * the changes its dump file recorded.
 */
export function expectNoTokenLogged(tested: TestClient): void {
  const lines = tested.logger.lines().join("\n");
  for (const change of tested.dumpFile.changes) {
    for (const token of [change.accessToken, change.refreshToken]) {
      if (token !== undefined && lines.includes(token)) {
        throw new Error(`A ${change.reason} token of session ${change.uid} appears in its log.`);
      }
    }
  }
}

/** Returns a username no other test uses, so the tests of a file can share one fake API. */
export function uniqueUsername(prefix = "user"): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Adds a user with a fresh name and a random password, and returns its input. */
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

/** Runs `action` and returns what it threw; fails the test when it returns instead. */
export async function catchError(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("Expected the action to throw, but it returned.");
}

/** Request-log entries of one route, such as `"POST /auth/v4/refresh"`. */
export function routeEntries(api: FakeApi, route: string) {
  return api.control.requestLog().filter((entry) => entry.route === route);
}

/** Counts the request-log entries of one route. */
export function countRoute(api: FakeApi, route: string): number {
  return routeEntries(api, route).length;
}
