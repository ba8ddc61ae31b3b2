import { createHash } from "node:crypto";
import {
  ApiError,
  NetworkError,
  Session,
  SessionExpiredError,
  TimeoutError,
  UnexpectedResponseError,
} from "@proton/api";
import { type FakeApi, startFakeApi } from "@proton/fake-api";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  addUser,
  type ClientOptions,
  catchError,
  countRoute,
  createClient,
  type Endpoint,
  expectNoTokenLogged,
  loadClient,
  routeEntries,
  type TestClient,
} from "./helpers/client.js";
import { type RewritingProxy, startRewritingProxy } from "./helpers/rewriting-proxy.js";

const REFRESH = "POST /auth/v4/refresh";
/** Slack for the clocks of the fake API's log and of the test, in milliseconds. */
const TIMER_SLACK_MS = 5;

/** Computes the fake API's id of a token in its request log: 8 hex digits of its SHA-256. */
function tokenId(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 8);
}

let api: FakeApi;
let proxy: RewritingProxy;
const clients: TestClient[] = [];

beforeAll(async () => {
  api = await startFakeApi();
  proxy = await startRewritingProxy(api);
});

afterAll(async () => {
  for (const client of clients) {
    expectNoTokenLogged(client);
  }
  await Promise.all(clients.map((client) => client.close()));
  await proxy.close();
  await api.close();
});

beforeEach(() => {
  api.control.clearFaults();
  api.control.clearRequestLog();
  proxy.setRewrite(undefined);
});

/** Logs a new user in and clears the request log, so a test counts only its own requests. */
async function loggedIn(endpoint: Endpoint = api, options: ClientOptions = {}) {
  const user = await addUser(api);
  const tested = await createClient(endpoint, options);
  clients.push(tested);
  await tested.session.authenticate(user.username, user.password);
  api.control.clearRequestLog();
  return { user, tested };
}

/** Checks that the dump on disk contains the session's current, usable tokens. */
async function expectStoredTokensKept(tested: TestClient, uid: string | undefined): Promise<void> {
  const stored = await tested.dumpFile.read();
  expect(stored.session_data.UID).toBe(uid);
  expect(stored.session_data.AccessToken).toBe(tested.session.accessToken);
  expect(stored.session_data.RefreshToken).toBe(tested.session.refreshToken);
  expect(stored.session_data.RefreshToken).not.toBe("");
}

describe("refresh rejected with 10013", () => {
  test.each([400, 422])("HTTP %i ends the session", async (status) => {
    const { tested } = await loggedIn();
    api.control.expireAccessTokens();
    api.control.injectFault({ route: REFRESH, kind: "status", status, code: 10013 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect((error as SessionExpiredError).code).toBe(10013);
    expect((error as SessionExpiredError).status).toBe(status);
    expect(countRoute(api, REFRESH)).toBe(1);
    expect(tested.session.isAuthenticated).toBe(false);
    expect(tested.dumpFile.reasons()).toEqual(["login", "expired"]);
  });

  test.each([400, 422])("HTTP %i leaves a loadable dump", async (status) => {
    const { tested } = await loggedIn();
    api.control.injectFault({ route: REFRESH, kind: "status", status, code: 10013 });

    await catchError(() => tested.session.refresh());

    const stored = await tested.dumpFile.read();
    expect(stored.session_data.AccessToken).toBeUndefined();
    const reloaded = Session.load(stored, { transport: { request: () => Promise.reject() } });
    expect(reloaded.isAuthenticated).toBe(false);
  });

  test("401 after a refresh is not looped", async () => {
    const { tested } = await loggedIn();
    api.control.injectFault({ route: "GET /core/v4/users", kind: "status", status: 401 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).status).toBe(401);
    expect(countRoute(api, "GET /core/v4/users")).toBe(2);
    expect(countRoute(api, REFRESH)).toBe(1);
    expect(tested.session.isAuthenticated).toBe(true);
    await expectStoredTokensKept(tested, tested.session.uid);
  });

  test("revoked session gets SessionExpiredError", async () => {
    const { tested } = await loggedIn();
    api.control.revokeSessions();

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect(routeEntries(api, REFRESH).map((entry) => entry.code)).toEqual([10013]);
  });
});

describe("refresh reply", () => {
  test("missing RefreshToken keeps the stored one", async () => {
    const { tested } = await loggedIn(proxy);
    const oldRefreshToken = tested.session.refreshToken;
    const oldAccessToken = tested.session.accessToken;
    proxy.setRewrite((reply) => {
      if (reply.route !== REFRESH || reply.status !== 200) {
        return undefined;
      }
      const { RefreshToken: _dropped, ...rest } = reply.json as Record<string, unknown>;
      return { json: rest };
    });

    await tested.session.refresh();

    expect(tested.session.accessToken).not.toBe(oldAccessToken);
    expect(tested.session.refreshToken).toBe(oldRefreshToken);
    await expectStoredTokensKept(tested, tested.session.uid);
    const users = await tested.session.apiRequest("/core/v4/users");
    expect(users.Code).toBe(1000);
  });

  test("empty RefreshToken keeps the stored one", async () => {
    const { tested } = await loggedIn(proxy);
    const oldRefreshToken = tested.session.refreshToken;
    proxy.setRewrite((reply) =>
      reply.route === REFRESH && reply.status === 200
        ? { json: { ...(reply.json as object), RefreshToken: "" } }
        : undefined,
    );

    await tested.session.refresh();

    expect(tested.session.refreshToken).toBe(oldRefreshToken);
    await expectStoredTokensKept(tested, tested.session.uid);
  });

  test("missing AccessToken keeps every token", async () => {
    const { tested } = await loggedIn(proxy);
    const before = await tested.dumpFile.readText();
    proxy.setRewrite((reply) => {
      if (reply.route !== REFRESH || reply.status !== 200) {
        return undefined;
      }
      const { AccessToken: _dropped, ...rest } = reply.json as Record<string, unknown>;
      return { json: rest };
    });

    const error = await catchError(() => tested.session.refresh());

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/AccessToken/);
    expect(tested.session.isAuthenticated).toBe(true);
    expect(await tested.dumpFile.readText()).toBe(before);
  });
});

describe("refresh transient failures", () => {
  test("502 keeps the session", async () => {
    const { tested } = await loggedIn();
    const before = await tested.dumpFile.readText();
    api.control.injectFault({ route: REFRESH, kind: "status", status: 502, times: 1 });

    const error = await catchError(() => tested.session.refresh());

    expect(ApiError.isInstance(error)).toBe(true);
    expect(SessionExpiredError.isInstance(error)).toBe(false);
    expect((error as ApiError).status).toBe(502);
    await expectRecovered(tested, before);
  });

  test("reset keeps the session", async () => {
    const { tested } = await loggedIn();
    const before = await tested.dumpFile.readText();
    api.control.injectFault({ route: REFRESH, kind: "reset", times: 1 });

    const error = await catchError(() => tested.session.refresh());

    expect(NetworkError.isInstance(error)).toBe(true);
    await expectRecovered(tested, before);
  });

  test("timeout keeps the session", async () => {
    const { tested } = await loggedIn(api, { timeoutMs: 500 });
    const before = await tested.dumpFile.readText();
    api.control.injectFault({ route: REFRESH, kind: "hang", times: 1 });

    const error = await catchError(() => tested.session.refresh());

    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(500);
    await expectRecovered(tested, before);
  });

  test("caller abort ends the wait for a refresh", async () => {
    const { tested } = await loggedIn(api, { timeoutMs: 3000 });
    const before = await tested.dumpFile.readText();
    api.control.expireAccessTokens();
    api.control.injectFault({ route: REFRESH, kind: "hang", times: 1 });
    const refreshing = catchError(() => tested.session.apiRequest("/core/v4/users"));
    const controller = new AbortController();
    const reason = new Error("The caller gave up.");
    setTimeout(() => controller.abort(reason), 300);
    const started = Date.now();

    const error = await catchError(() =>
      tested.session.apiRequest("/core/v4/addresses", { signal: controller.signal }),
    );

    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(TimeoutError.isInstance(await refreshing)).toBe(true);
    await expectRecovered(tested, before);
  });

  test("503 during a 401 replay keeps the session", async () => {
    const { tested } = await loggedIn(api, { retry: { maxRetries: 0 } });
    const before = await tested.dumpFile.readText();
    api.control.expireAccessTokens();
    api.control.injectFault({ route: REFRESH, kind: "status", status: 503, times: 1 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).status).toBe(503);
    await expectRecovered(tested, before);
  });

  /** Checks that the failed refresh changed nothing on disk and that the next request succeeds. */
  async function expectRecovered(tested: TestClient, dumpBefore: string): Promise<void> {
    expect(tested.session.isAuthenticated).toBe(true);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
    expect(await tested.dumpFile.readText()).toBe(dumpBefore);

    const users = await tested.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    await expectStoredTokensKept(tested, tested.session.uid);
  }
});

describe("refresh persistence", () => {
  test("new tokens wait for a slow onTokenChange", async () => {
    const { tested } = await loggedIn();
    tested.dumpFile.persistDelayMs = 300;
    api.control.expireAccessTokens();

    const results = await Promise.all(
      Array.from({ length: 20 }, () => tested.session.apiRequest("/core/v4/users")),
    );

    expect(results.every((result) => result.Code === 1000)).toBe(true);
    expect(tested.dumpFile.reasons()).toEqual(["login", "refresh"]);
    const persistedAt = tested.dumpFile.persistedAt[1] ?? Number.POSITIVE_INFINITY;
    const newTokenId = tokenId(tested.session.accessToken ?? "");
    const usesOfNewToken = api.control
      .requestLog()
      .filter((entry) => entry.token === "access" && entry.tokenId === newTokenId);
    expect(usesOfNewToken).toHaveLength(20);
    for (const entry of usesOfNewToken) {
      expect(entry.time).toBeGreaterThanOrEqual(persistedAt - TIMER_SLACK_MS);
    }
  });

  test("failing onTokenChange does not fail requests", async () => {
    const { tested } = await loggedIn();
    tested.dumpFile.persistError = new Error("The backup copy failed.");
    api.control.expireAccessTokens();

    const users = await tested.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    await expectStoredTokensKept(tested, tested.session.uid);
    const logged = tested.logger.entries.filter((entry) => entry.level === "error");
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).toContain("The backup copy failed.");
  });
});

describe("refresh concurrency", () => {
  test("200 requests on an expired token refresh once", async () => {
    const { tested } = await loggedIn();
    api.control.expireAccessTokens();

    const results = await Promise.all(
      Array.from({ length: 200 }, () => tested.session.apiRequest("/core/v4/users")),
    );

    expect(results.every((result) => result.Code === 1000)).toBe(true);
    expect(countRoute(api, REFRESH)).toBe(1);
    expect(tested.dumpFile.reasons()).toEqual(["login", "refresh"]);
    await expectStoredTokensKept(tested, tested.session.uid);
  });

  test("50 requests on a revoked session share one 10013", async () => {
    const { tested } = await loggedIn();
    api.control.revokeSessions();

    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => tested.session.apiRequest("/core/v4/users")),
    );

    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      expect(SessionExpiredError.isInstance((outcome as PromiseRejectedResult).reason)).toBe(true);
    }
    expect(countRoute(api, REFRESH)).toBe(1);
    expect(tested.dumpFile.reasons()).toEqual(["login", "expired"]);
  });

  test("storm survives a 503 on its refresh", async () => {
    const { tested } = await loggedIn();
    api.control.expireAccessTokens();
    api.control.injectFault({
      route: REFRESH,
      kind: "status",
      status: 503,
      retryAfter: "1",
      times: 1,
    });

    const results = await Promise.all(
      Array.from({ length: 100 }, () => tested.session.apiRequest("/core/v4/users")),
    );

    expect(results.every((result) => result.Code === 1000)).toBe(true);
    expect(routeEntries(api, REFRESH).map((entry) => entry.status)).toEqual([503, 200]);
    expect(tested.dumpFile.reasons()).toEqual(["login", "refresh"]);
    await expectStoredTokensKept(tested, tested.session.uid);
  });

  // Without reloadDump the loser's refresh gets 10013 and it reports "expired" last; the
  // persister leaves the file alone because it no longer contains the rejected token.
  test("two sessions from one dump keep the file", async () => {
    const { tested: first } = await loggedIn();
    const winner = await loadClient(api, first.dumpFile);
    const loser = await loadClient(api, first.dumpFile);
    clients.push(winner, loser);

    await winner.session.refresh();
    const error = await catchError(() => loser.session.refresh());

    expect(SessionExpiredError.isInstance(error)).toBe(true);
    const stored = await first.dumpFile.read();
    expect(stored.session_data.RefreshToken).toBe(winner.session.refreshToken);
    const restarted = await loadClient(api, first.dumpFile);
    clients.push(restarted);
    const users = await restarted.session.apiRequest("/core/v4/users");
    expect(users.Code).toBe(1000);
  });

  test("loser adopts the winner's tokens with reloadDump", async () => {
    const { tested: first } = await loggedIn();
    const file = first.dumpFile;
    const winner = await loadClient(api, file);
    const loser = await loadClient(api, file, { reloadDump: () => file.readText() });
    clients.push(winner, loser);

    await winner.session.refresh();
    await loser.session.refresh();

    expect(loser.session.refreshToken).toBe(winner.session.refreshToken);
    expect(file.reasons()).toEqual(["login", "refresh", "reload"]);
    const stored = await file.read();
    expect(stored.session_data.RefreshToken).toBe(winner.session.refreshToken);
    expect((await winner.session.apiRequest("/core/v4/users")).Code).toBe(1000);
    expect((await loser.session.apiRequest("/core/v4/users")).Code).toBe(1000);
  });

  test("racing sessions with reloadDump keep the file", async () => {
    const { tested: first } = await loggedIn();
    const file = first.dumpFile;
    const reloadDump = () => file.readText();
    const second = await loadClient(api, file, { reloadDump });
    const third = await loadClient(api, file, { reloadDump });
    clients.push(second, third);

    const outcomes = await Promise.allSettled([second.session.refresh(), third.session.refresh()]);

    // The loser either adopts the winner's tokens or, when it reads the file before the
    // winner has stored them, reports SessionExpiredError. Either way the file keeps a session.
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") {
        expect(SessionExpiredError.isInstance(outcome.reason)).toBe(true);
      }
    }
    const stored = await file.read();
    expect(stored.session_data.RefreshToken).toBeTypeOf("string");
    const restarted = await loadClient(api, file);
    clients.push(restarted);
    expect((await restarted.session.apiRequest("/core/v4/users")).Code).toBe(1000);
  });

  test("loser of a two-session race reports SessionExpiredError", async () => {
    const { tested: first } = await loggedIn();
    const second = await loadClient(api, first.dumpFile);
    const third = await loadClient(api, first.dumpFile);
    clients.push(second, third);

    const outcomes = await Promise.allSettled([second.session.refresh(), third.session.refresh()]);

    const fulfilled = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const rejected = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(SessionExpiredError.isInstance(rejected[0]?.reason)).toBe(true);
    const winner = outcomes[0]?.status === "fulfilled" ? second : third;
    expect(winner.session.isAuthenticated).toBe(true);
    const users = await winner.session.apiRequest("/core/v4/users");
    expect(users.Code).toBe(1000);
  });
});
