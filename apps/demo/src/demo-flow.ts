import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  generateTotp,
  HumanVerificationRequiredError,
  type Logger,
  type Session,
  SessionExpiredError,
  type TokenChange,
} from "@proton/api";
import {
  DEMO_USERS,
  type FakeApi,
  FakeApiInputError,
  type FakeUserInput,
  type FaultSpec,
  startFakeApi,
} from "@proton/fake-api";
import {
  type ConnectionOptions,
  createSession,
  DEFAULT_APP_VERSION,
  loadSession,
} from "./connect.js";
import type { Spinner } from "./progress.js";
import { fileMode, readSessionFile, removeSessionFile, writeSessionFile } from "./session-file.js";
import { check } from "./step-check.js";
import { type RunReport, runSteps, type Step, type StepResult } from "./step-runner.js";
import { UsageError } from "./usage-error.js";

/** Demo account with a TOTP second factor, walked through the whole flow. */
const MAIN_USER = "bob";
/** Demo account whose logins need human verification. */
const VERIFICATION_USER = "dave";

/** `Retry-After` of the injected rate limit, in seconds. */
const RETRY_AFTER_SECONDS = 1;

export interface DemoOptions {
  readonly spinner: Spinner;
  /** Called with the fake API's URL once it listens, before the first step. */
  readonly onStart?: ((url: string) => void) | undefined;
  /** Receives each step's result as soon as it is known. */
  readonly onResult: (result: StepResult) => void;
  /** Receives the session's log entries. Default: none. */
  readonly logger?: Logger | undefined;
  /** Receives the fake API's request lines. Default: none. */
  readonly serverLog?: ((line: string) => void) | undefined;
  /** Faults injected into the fake API before the first step, to show how a failure reads. */
  readonly faults?: readonly unknown[] | undefined;
}

/** State the steps share: the server, the sessions and the session file. */
interface DemoState {
  readonly fake: FakeApi;
  readonly sessionFile: string;
  readonly connectionOptions: ConnectionOptions;
  /** Every session opened, closed at the end. */
  readonly sessions: Session[];
  /** The session of `MAIN_USER`; the one loaded from the file replaces the first one. */
  main: Session | undefined;
  /** The session file's contents before logout, to show that its tokens stop working. */
  dumpBeforeLogout: unknown;
}

/**
 * Starts the fake Proton API in-process (HTTPS, pinned to its certificate) with the demo users
 * and runs every step against it. The session file goes to a new temporary folder, never to
 * the user's config directory, and the folder is removed at the end.
 */
export async function runDemo(options: DemoOptions): Promise<RunReport> {
  const fake = await startFakeApi({
    users: DEMO_USERS,
    ...(options.serverLog === undefined ? {} : { log: options.serverLog }),
  });
  const sessions: Session[] = [];
  let folder: string | undefined;
  // An interrupted run ends in process.exit, which skips the finally block below.
  const removeFolderOnExit = (): void => {
    if (folder !== undefined) {
      rmSync(folder, { recursive: true, force: true });
    }
  };
  process.once("exit", removeFolderOnExit);

  try {
    injectFaults(fake, options.faults ?? []);
    options.onStart?.(fake.url);
    folder = await mkdtemp(join(tmpdir(), "proton-demo-"));
    const state: DemoState = {
      fake,
      sessionFile: join(folder, "session.json"),
      connectionOptions: {
        pins: [fake.pin],
        ca: fake.ca,
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      },
      sessions,
      main: undefined,
      dumpBeforeLogout: undefined,
    };
    return await runSteps(createSteps(state), options.spinner, options.onResult);
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
    await fake.close();
    process.off("exit", removeFolderOnExit);
    if (folder !== undefined) {
      await rm(folder, { recursive: true, force: true });
    }
  }
}

function createSteps(state: DemoState): Step[] {
  const mainUser = findDemoUser(MAIN_USER);
  const verificationUser = findDemoUser(VERIFICATION_USER);
  const totpSecret = mainUser.totpSecret;
  if (totpSecret === undefined) {
    throw new Error(`The demo user ${MAIN_USER} has no TOTP secret in DEMO_USERS.`);
  }
  const { fake } = state;

  const connect = (extra: Partial<ConnectionOptions> = {}): Session => {
    const session = createSession(fake.url, DEFAULT_APP_VERSION, {
      ...state.connectionOptions,
      ...extra,
    });
    state.sessions.push(session);
    return session;
  };
  const load = (dump: unknown, extra: Partial<ConnectionOptions> = {}): Session => {
    const session = loadSession(dump, { ...state.connectionOptions, ...extra });
    state.sessions.push(session);
    return session;
  };
  const main = (): Session => {
    check(state.main !== undefined, "no session: the login step did not run");
    return state.main;
  };
  /** Keeps the session file in step with the session, as a real client does. */
  const persist = async (change: TokenChange): Promise<void> => {
    if (change.reason === "logout" || change.reason === "expired") {
      await removeSessionFile(state.sessionFile);
    } else {
      await writeSessionFile(state.sessionFile, change.dump);
    }
  };

  return [
    {
      name: "ping",
      title: "Pinging the API",
      async run() {
        const body = await connect().apiRequest("/tests/ping");
        check(
          body.Code === 1000,
          `GET /tests/ping answered Code ${String(body.Code)}, expected 1000`,
        );
        return `GET /tests/ping answered Code 1000 over HTTPS pinned to ${fake.pin}`;
      },
    },
    {
      name: "login",
      title: `Logging in as ${MAIN_USER} with SRP`,
      async run() {
        const session = connect();
        const result = await session.authenticate(mainUser.username, mainUser.password);
        state.main = session;
        check(
          result.twoFactor.totp,
          `${MAIN_USER} should need a TOTP code, but 2FA.Enabled is ${result.twoFactor.enabled}`,
        );
        check(
          result.scopes.length === 1 && result.scopes[0] === "twofactor",
          `the scopes before 2FA should be only "twofactor", got "${result.scopes.join(" ")}"`,
        );
        return `${MAIN_USER} logged in with SRP auth version ${result.authVersion}; the modulus signature verified against Proton's modulus key and the server proof matched; scope "twofactor" until the second factor`;
      },
    },
    {
      name: "second-factor",
      title: "Sending the TOTP code",
      async run() {
        const scopes = await main().provide2FA(generateTotp(totpSecret));
        check(scopes.includes("full"), `the scopes after 2FA lack "full": "${scopes.join(" ")}"`);
        return `TOTP code accepted; ${scopes.length} scopes granted, including "full"`;
      },
    },
    {
      name: "user-and-addresses",
      title: "Reading the user and addresses",
      async run() {
        const users = await main().apiRequest("/core/v4/users");
        const user = readRecord(users["User"]);
        check(
          user["Name"] === MAIN_USER,
          `GET /core/v4/users returned the user ${String(user["Name"])}, expected ${MAIN_USER}`,
        );
        const addresses = await main().apiRequest("/core/v4/addresses");
        const list = addresses["Addresses"];
        check(Array.isArray(list) && list.length > 0, "GET /core/v4/addresses returned no address");
        const emails = list.map((address) => String(readRecord(address)["Email"]));
        return `${String(user["DisplayName"])} <${String(user["Email"])}>; addresses: ${emails.join(", ")}`;
      },
    },
    {
      name: "save-session",
      title: "Saving the session file",
      async run() {
        await writeSessionFile(state.sessionFile, main().dump());
        const mode = await fileMode(state.sessionFile);
        if (process.platform !== "win32") {
          check(mode === 0o600, `the session file has mode ${mode.toString(8)}, expected 600`);
        }
        const saved = readRecord(
          readRecord(await readSessionFile(state.sessionFile))["session_data"],
        );
        check(saved["UID"] === main().uid, "the session file does not hold the session's UID");
        return `${state.sessionFile} written atomically (temporary file, fsync, rename), mode ${mode.toString(8)}`;
      },
    },
    {
      name: "load-session",
      title: "Loading the session in a new Session",
      async run() {
        const dump = await readSessionFile(state.sessionFile);
        const session = load(dump, { onTokenChange: persist });
        check(session.uid === main().uid, "the loaded session has another UID");
        const users = await session.apiRequest("/core/v4/users");
        check(
          readRecord(users["User"])["Name"] === MAIN_USER,
          "the loaded session reads another user",
        );
        state.main = session;
        return `a new Session from the file read GET /core/v4/users as ${MAIN_USER} without logging in`;
      },
    },
    {
      name: "auto-refresh",
      title: "Expiring the access token",
      async run() {
        const session = main();
        const oldAccessToken = session.accessToken;
        fake.control.clearRequestLog();
        fake.control.expireAccessTokens(MAIN_USER);

        await session.apiRequest("/core/v4/users");
        const log = fake.control.requestLog();
        const statuses = log
          .filter((entry) => entry.route === "GET /core/v4/users")
          .map((entry) => entry.status);
        const refreshes = log.filter((entry) => entry.route === "POST /auth/v4/refresh");
        check(
          statuses.join(",") === "401,200",
          `GET /core/v4/users got HTTP ${statuses.join(", then ")}, expected 401, then 200`,
        );
        check(
          refreshes.length === 1 && refreshes[0]?.status === 200,
          `expected one successful refresh, got ${refreshes.length}`,
        );
        check(session.accessToken !== oldAccessToken, "the access token did not change");
        await checkFileHasToken(state.sessionFile, session);
        return "the expired token got HTTP 401; one refresh, then the request was replayed and got 200; the session file has the new tokens";
      },
    },
    {
      name: "refresh",
      title: "Refreshing the tokens",
      async run() {
        const session = main();
        const oldAccessToken = session.accessToken;
        const oldRefreshToken = session.refreshToken;
        await session.refresh();
        check(session.accessToken !== oldAccessToken, "the access token did not change");
        check(session.refreshToken !== oldRefreshToken, "the refresh token did not change");
        await checkFileHasToken(state.sessionFile, session);
        return "both tokens rotated; the session file has the new tokens";
      },
    },
    {
      name: "rate-limit",
      title: `Waiting out a rate limit (Retry-After: ${RETRY_AFTER_SECONDS})`,
      async run() {
        fake.control.clearRequestLog();
        fake.control.injectFault({
          route: "GET /core/v4/users",
          kind: "rate-limit",
          retryAfter: String(RETRY_AFTER_SECONDS),
          times: 1,
        });
        const started = performance.now();
        await main().apiRequest("/core/v4/users");
        const waitedMs = Math.round(performance.now() - started);

        const statuses = fake.control
          .requestLog()
          .filter((entry) => entry.route === "GET /core/v4/users")
          .map((entry) => entry.status);
        check(
          statuses.join(",") === "429,200",
          `GET /core/v4/users got HTTP ${statuses.join(", then ")}, expected 429, then 200`,
        );
        // Timer rounding can end the wait slightly early; the check allows 50 ms for it.
        check(
          waitedMs >= RETRY_AFTER_SECONDS * 1000 - 50,
          `the retry came after ${waitedMs} ms, before Retry-After`,
        );
        return `HTTP 429 with Retry-After: ${RETRY_AFTER_SECONDS}; the session waited and the retry got 200 after ${waitedMs} ms in all`;
      },
    },
    {
      name: "human-verification",
      title: `Logging in as ${VERIFICATION_USER}, who needs human verification`,
      async run() {
        const session = connect();
        let required: HumanVerificationRequiredError | undefined;
        try {
          await session.authenticate(verificationUser.username, verificationUser.password);
        } catch (error) {
          if (!HumanVerificationRequiredError.isInstance(error)) {
            throw error;
          }
          required = error;
        }
        check(
          required !== undefined,
          `the login of ${VERIFICATION_USER} did not require human verification`,
        );
        const { token, methods } = required.verification;
        const method = methods[0];
        check(method !== undefined, "the code 9001 answer offers no verification method");

        await solveThroughControlApi(fake.controlUrl, token);
        session.setHumanVerificationToken({ type: method, token });
        await session.authenticate(verificationUser.username, verificationUser.password);
        check(
          session.isAuthenticated,
          `${VERIFICATION_USER} is not logged in after the verification`,
        );
        await session.logout();
        return `the login got code 9001 (methods: ${methods.join(", ")}); solved through the control API; the login sent again with the token succeeded`;
      },
    },
    {
      name: "logout",
      title: "Logging out",
      async run() {
        state.dumpBeforeLogout = await readSessionFile(state.sessionFile);
        await main().logout();
        check(!main().isAuthenticated, "the session still has tokens after logout");
        const fileGone = await readSessionFile(state.sessionFile).then(
          () => false,
          () => true,
        );
        check(fileGone, "the session file still exists after logout");

        const stale = load(state.dumpBeforeLogout);
        let rejection: unknown;
        try {
          await stale.apiRequest("/core/v4/users");
        } catch (error) {
          rejection = error;
        }
        check(
          SessionExpiredError.isInstance(rejection),
          `the old tokens should be rejected with SessionExpiredError, got ${describeValue(rejection)}`,
        );
        return "the server ended the session and the file was removed; the old access token got HTTP 401 and its refresh token was rejected (SessionExpiredError)";
      },
    },
  ];
}

/** Injects each fault; throws `UsageError` for one the fake API rejects. */
function injectFaults(fake: FakeApi, faults: readonly unknown[]): void {
  for (const [index, fault] of faults.entries()) {
    try {
      fake.control.injectFault(fault as FaultSpec);
    } catch (error) {
      if (FakeApiInputError.isInstance(error)) {
        throw new UsageError(`Invalid --fault ${index + 1}: ${error.message}`);
      }
      throw error;
    }
  }
}

/** Marks a verification token as solved with `POST /human-verification/solve` of the control API. */
async function solveThroughControlApi(controlUrl: string, token: string): Promise<void> {
  const response = await fetch(`${controlUrl}/human-verification/solve`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  check(response.ok, `the control API answered HTTP ${response.status} to the solve request`);
}

async function checkFileHasToken(path: string, session: Session): Promise<void> {
  const saved = readRecord(readRecord(await readSessionFile(path))["session_data"]);
  check(
    saved["AccessToken"] === session.accessToken,
    "the session file still has the old access token",
  );
  check(
    saved["RefreshToken"] === session.refreshToken,
    "the session file still has the old refresh token",
  );
}

function findDemoUser(username: string): FakeUserInput {
  const user = DEMO_USERS.find((candidate) => candidate.username === username);
  if (user === undefined) {
    throw new Error(`The demo user ${username} is missing from DEMO_USERS of @proton/fake-api.`);
  }
  return user;
}

function readRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function describeValue(value: unknown): string {
  if (value === undefined) {
    return "a successful reply";
  }
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
