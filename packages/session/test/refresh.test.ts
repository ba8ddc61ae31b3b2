import { ApiError, NetworkError, SessionExpiredError, TimeoutError } from "@proton/errors";
import type { FakeApi } from "@proton/fake-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  catchError,
  countRoute,
  createTestSession,
  loadTestSession,
  startTestApi,
  type TestSession,
} from "./helpers.js";
import { startRelay } from "./relay.js";

let api: FakeApi;
const open: TestSession[] = [];

/** Creates a session logged in as a new user. */
async function loggedIn(options: Parameters<typeof createTestSession>[1] = {}) {
  const user = await addUser(api);
  const created = createTestSession(api, options);
  open.push(created);
  await created.session.authenticate(user.username, user.password);
  created.changes.length = 0;
  return { ...created, user };
}

beforeAll(async () => {
  api = await startTestApi();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((created) => created.close()));
  api.control.clearFaults();
});

afterAll(async () => {
  await api.close();
});

describe("refresh on 401", () => {
  it("refreshes once for 50 concurrent requests", async () => {
    const { session, user, changes } = await loggedIn();
    const before = { access: session.accessToken, refresh: session.refreshToken };
    api.control.expireAccessTokens(user.username);
    api.control.clearRequestLog();

    const replies = await Promise.all(
      Array.from({ length: 50 }, () => session.apiRequest("/core/v4/users")),
    );

    expect(replies.every((reply) => reply.Code === 1000)).toBe(true);
    expect(countRoute(api, "POST /auth/v4/refresh")).toBe(1);
    expect(session.accessToken).not.toBe(before.access);
    expect(session.refreshToken).not.toBe(before.refresh);
    expect(changes.map((change) => change.reason)).toEqual(["refresh"]);
  });

  it("replays each request at most once", async () => {
    const { session, user } = await loggedIn();
    api.control.expireAccessTokens(user.username);
    api.control.clearRequestLog();

    await session.apiRequest("/core/v4/addresses");

    const routes = api.control.requestLog().map((entry) => `${entry.route} ${entry.status}`);
    expect(routes).toEqual([
      "GET /core/v4/addresses 401",
      "POST /auth/v4/refresh 200",
      "GET /core/v4/addresses 200",
    ]);
  });

  it("replays a straggler without a second refresh", async () => {
    const { session } = await loggedIn();
    // The server delays this request, sent with the first token, until after the refresh.
    api.control.injectFault({ route: "GET /core/v4/users", kind: "delay", delayMs: 400, times: 1 });
    api.control.clearRequestLog();

    const straggler = session.apiRequest("/core/v4/users");
    // The fake API logs a request only when it completes, so a fixed pause lets the held
    // request reach the server before the refresh replaces its token.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await session.refresh();
    const reply = await straggler;

    expect(reply.Code).toBe(1000);
    expect(countRoute(api, "POST /auth/v4/refresh")).toBe(1);
    const users = api.control.requestLog().filter((entry) => entry.route === "GET /core/v4/users");
    expect(users.map((entry) => entry.status)).toEqual([401, 200]);
  });

  it("fails a request whose replay gets 401", async () => {
    const { session, user } = await loggedIn();
    // Expires the access token again as soon as the refresh has issued a new one.
    api.control.expireAccessTokens(user.username);
    api.control.injectFault({ route: "GET /core/v4/users", kind: "status", status: 401, times: 2 });
    api.control.clearRequestLog();

    const error = await catchError(() => session.apiRequest("/core/v4/users"));

    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).status).toBe(401);
    expect(countRoute(api, "POST /auth/v4/refresh")).toBe(1);
    expect(countRoute(api, "GET /core/v4/users")).toBe(2);
  });

  it("waits for a refresh in flight", async () => {
    const { session } = await loggedIn();
    api.control.injectFault({
      route: "POST /auth/v4/refresh",
      kind: "delay",
      delayMs: 200,
      times: 1,
    });
    api.control.clearRequestLog();

    const refresh = session.refresh();
    const reply = await session.apiRequest("/core/v4/users");
    await refresh;

    expect(reply.Code).toBe(1000);
    const routes = api.control.requestLog().map((entry) => entry.route);
    expect(routes).toEqual(["POST /auth/v4/refresh", "GET /core/v4/users"]);
  });

  it("lets a caller abort while a refresh runs", async () => {
    const { session, user } = await loggedIn();
    api.control.expireAccessTokens(user.username);
    api.control.injectFault({
      route: "POST /auth/v4/refresh",
      kind: "delay",
      delayMs: 500,
      times: 1,
    });
    api.control.clearRequestLog();
    const controller = new AbortController();

    const aborted = session.apiRequest("/core/v4/users", { signal: controller.signal });
    const other = session.apiRequest("/core/v4/users");
    setTimeout(() => controller.abort(new Error("aborted during the refresh")), 100);

    await expect(aborted).rejects.toThrow("aborted during the refresh");
    // The fake API logs the delayed refresh when it completes, so it is not logged yet.
    expect(countRoute(api, "POST /auth/v4/refresh")).toBe(0);
    const reply = await other;
    expect(reply.Code).toBe(1000);
    expect(countRoute(api, "POST /auth/v4/refresh")).toBe(1);
  });

  it("shares one refresh between concurrent calls", async () => {
    const { session } = await loggedIn();
    api.control.clearRequestLog();

    await Promise.all([session.refresh(), session.refresh(), session.refresh()]);

    expect(countRoute(api, "POST /auth/v4/refresh")).toBe(1);
  });

  it("sends the UID header and the refresh token", async () => {
    const { session } = await loggedIn();
    api.control.clearRequestLog();

    await session.refresh();

    const [entry] = api.control.requestLog();
    expect(entry?.uid).toBe(session.uid);
    expect(entry?.token).toBe("refresh");
  });

  it("requires a login", async () => {
    const created = createTestSession(api);
    open.push(created);
    await expect(created.session.refresh()).rejects.toThrow(/not logged in/);
  });
});

describe("refresh failures", () => {
  it("ends the session on code 10013", async () => {
    const { session, user, changes, logger } = await loggedIn();
    api.control.revokeSessions(user.username);

    const error = await catchError(() => session.apiRequest("/core/v4/users"));

    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect((error as SessionExpiredError).code).toBe(10013);
    expect(session.isAuthenticated).toBe(false);
    expect(session.dump().session_data).toEqual({});
    expect(changes.map((change) => change.reason)).toEqual(["expired"]);
    expect(logger.withMessage("Refresh token rejected; the session has ended")).toHaveLength(1);
  });

  it.each([400, 422])("ends the session on HTTP %i", async (status) => {
    const { session } = await loggedIn();
    api.control.injectFault({ route: "POST /auth/v4/refresh", kind: "status", status, code: 2001 });

    const error = await catchError(() => session.refresh());

    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect((error as SessionExpiredError).status).toBe(status);
    expect((error as SessionExpiredError).message).toMatch(/Log in again/);
    expect(session.isAuthenticated).toBe(false);
  });

  it.each([
    [422, 9001],
    [400, 12087],
    [422, 2011],
    [422, 2028],
    [400, 5001],
    [400, 5003],
  ])("keeps the tokens on HTTP %i with code %i", async (status, code) => {
    const { session, changes } = await loggedIn();
    const before = session.dump();
    api.control.injectFault({ route: "POST /auth/v4/refresh", kind: "status", status, code });

    const error = await catchError(() => session.refresh());

    expect(ApiError.isInstance(error)).toBe(true);
    expect(SessionExpiredError.isInstance(error)).toBe(false);
    expect((error as ApiError).code).toBe(code);
    expect(session.dump()).toEqual(before);
    expect(changes).toEqual([]);

    api.control.clearFaults();
    await session.refresh();
    expect(session.accessToken).not.toBe(before.session_data.AccessToken);
  });

  it("keeps the tokens on an empty HTTP 400", async () => {
    const relay = await startRelay(api);
    try {
      const { session, changes } = await loggedIn({ apiUrl: relay.url });
      const before = session.dump();
      relay.editReplies("POST /auth/v4/refresh", (reply) => {
        reply.status = 400;
        reply.raw = "";
      });

      const error = await catchError(() => session.refresh());

      expect(ApiError.isInstance(error)).toBe(true);
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).code).toBeUndefined();
      expect(SessionExpiredError.isInstance(error)).toBe(false);
      expect(session.dump()).toEqual(before);
      expect(changes).toEqual([]);
    } finally {
      await relay.close();
    }
  });

  it("fails every waiting request on expiry", async () => {
    const { session, user } = await loggedIn();
    api.control.revokeSessions(user.username);
    api.control.clearRequestLog();

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => session.apiRequest("/core/v4/users")),
    );

    const reasons = results.map((result) =>
      result.status === "rejected" ? result.reason : result,
    );
    expect(reasons.every((reason) => SessionExpiredError.isInstance(reason))).toBe(true);
    expect(countRoute(api, "POST /auth/v4/refresh")).toBe(1);
  });

  it.each([
    ["HTTP 500", { kind: "status", status: 500 }, ApiError],
    ["a reset", { kind: "reset" }, NetworkError],
    ["an HTML 502 page", { kind: "html", status: 502 }, Error],
    ["an HTML 400 page", { kind: "html", status: 400 }, Error],
  ] as const)("keeps the tokens on %s", async (_name, fault, type) => {
    const { session, changes, logger } = await loggedIn();
    const before = session.dump();
    api.control.injectFault({ route: "POST /auth/v4/refresh", ...fault });

    const error = await catchError(() => session.refresh());

    expect(error).toBeInstanceOf(type);
    expect(SessionExpiredError.isInstance(error)).toBe(false);
    expect(session.dump()).toEqual(before);
    expect(changes).toEqual([]);
    expect(logger.withMessage("Refresh failed; keeping the stored tokens")).toHaveLength(1);

    api.control.clearFaults();
    await session.refresh();
    expect(session.accessToken).not.toBe(before.session_data.AccessToken);
  });

  it("keeps the tokens on a timeout", async () => {
    const { session } = await loggedIn({ timeoutMs: 300 });
    const before = session.dump();
    api.control.injectFault({ route: "POST /auth/v4/refresh", kind: "hang", times: 1 });

    const error = await catchError(() => session.refresh());

    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(session.dump()).toEqual(before);
  });

  it("keeps the tokens when 503 outlasts the retries", async () => {
    const { session } = await loggedIn({ retry: { maxRetries: 1, defaultDelayMs: 10 } });
    const before = session.dump();
    api.control.injectFault({
      route: "POST /auth/v4/refresh",
      kind: "status",
      status: 503,
      retryAfter: "0",
    });
    api.control.clearRequestLog();

    const error = await catchError(() => session.refresh());

    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).status).toBe(503);
    expect(countRoute(api, "POST /auth/v4/refresh")).toBe(2);
    expect(session.dump()).toEqual(before);
  });

  it("surfaces the transient error to a request", async () => {
    const { session, user } = await loggedIn();
    api.control.expireAccessTokens(user.username);
    api.control.injectFault({ route: "POST /auth/v4/refresh", kind: "reset", times: 1 });

    const error = await catchError(() => session.apiRequest("/core/v4/users"));
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(session.isAuthenticated).toBe(true);

    const reply = await session.apiRequest("/core/v4/users");
    expect(reply.Code).toBe(1000);
  });
});

describe("refresh race between sessions of one dump", () => {
  /** Logs in, then loads the dump twice, as two processes sharing one session file would. */
  async function twoLoadedSessions(reloadDump?: () => unknown) {
    const { session } = await loggedIn();
    const dump = session.dump();
    const winner = loadTestSession(api, dump);
    const loser = loadTestSession(api, dump, reloadDump === undefined ? {} : { reloadDump });
    open.push(winner, loser);
    return { winner, loser };
  }

  it("adopts the winner's tokens through reloadDump", async () => {
    let stored: unknown;
    const { winner, loser } = await twoLoadedSessions(() => stored);
    await winner.session.refresh();
    stored = JSON.stringify(winner.session.dump());

    await loser.session.refresh();
    const users = await loser.session.apiRequest("/core/v4/users");

    expect(loser.session.refreshToken).toBe(winner.session.refreshToken);
    expect(loser.session.accessToken).toBe(winner.session.accessToken);
    expect(loser.changes.map((change) => change.reason)).toEqual(["reload"]);
    expect(users.Code).toBe(1000);
  });

  it("replays a 401 request with the adopted tokens", async () => {
    let stored: unknown;
    const { winner, loser } = await twoLoadedSessions(() => stored);
    api.control.expireAccessTokens();
    await winner.session.refresh();
    stored = winner.session.dump();
    api.control.clearRequestLog();

    const users = await loser.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    const routes = api.control.requestLog().map((entry) => `${entry.route} ${entry.status}`);
    expect(routes).toEqual([
      "GET /core/v4/users 401",
      "POST /auth/v4/refresh 422",
      "GET /core/v4/users 200",
    ]);
  });

  it("expires without reloadDump", async () => {
    const { winner, loser } = await twoLoadedSessions();
    const rejected = loser.session.refreshToken;
    await winner.session.refresh();

    const error = await catchError(() => loser.session.refresh());

    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect(loser.changes.map((change) => change.reason)).toEqual(["expired"]);
    expect(loser.changes[0]?.previousRefreshToken).toBe(rejected);
    expect(winner.changes[0]?.previousRefreshToken).toBe(rejected);
    expect(winner.changes[0]?.refreshToken).toBe(winner.session.refreshToken);
  });

  it("expires when the reloaded dump has the rejected token", async () => {
    const { session } = await loggedIn();
    const dump = session.dump();
    const winner = loadTestSession(api, dump);
    const loser = loadTestSession(api, dump, { reloadDump: () => dump });
    open.push(winner, loser);
    await winner.session.refresh();

    const error = await catchError(() => loser.session.refresh());

    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect(loser.session.isAuthenticated).toBe(false);
  });

  it("expires when reloadDump fails, and logs it", async () => {
    const { winner, loser } = await twoLoadedSessions(() => {
      throw new Error("EACCES: permission denied");
    });
    await winner.session.refresh();

    const error = await catchError(() => loser.session.refresh());

    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect(
      loser.logger.withMessage("Could not reload the session dump after a rejected refresh"),
    ).toHaveLength(1);
  });

  it("ignores a reloaded dump of another session", async () => {
    const other = await loggedIn();
    const { winner, loser } = await twoLoadedSessions(() => other.session.dump());
    await winner.session.refresh();

    const error = await catchError(() => loser.session.refresh());

    expect(SessionExpiredError.isInstance(error)).toBe(true);
  });
});
