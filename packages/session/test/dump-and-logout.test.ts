import { type ApiError, SessionExpiredError } from "@proton/errors";
import type { FakeApi } from "@proton/fake-api";
import { createNodeTransport } from "@proton/transport-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  InvalidSessionDumpError,
  SESSION_DUMP_FORMAT_VERSION,
  Session,
  type SessionOptions,
} from "../src/index.js";
import {
  addUser,
  CapturingLogger,
  catchError,
  countRoute,
  createTestSession,
  loadTestSession,
  startTestApi,
  type TestSession,
} from "./helpers.js";

let api: FakeApi;
const open: TestSession[] = [];

function track(created: TestSession): TestSession {
  open.push(created);
  return created;
}

async function loggedIn(): Promise<TestSession> {
  const user = await addUser(api);
  const created = track(createTestSession(api));
  await created.session.authenticate(user.username, user.password);
  created.changes.length = 0;
  return created;
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

describe("dump and load", () => {
  it("round-trips a logged-in session", async () => {
    const { session } = await loggedIn();

    const dump = JSON.parse(JSON.stringify(session.dump()));
    const { session: loaded } = track(loadTestSession(api, dump));

    expect(loaded.uid).toBe(session.uid);
    expect(loaded.accessToken).toBe(session.accessToken);
    expect(loaded.refreshToken).toBe(session.refreshToken);
    expect(loaded.scopes).toEqual(session.scopes);
    expect(loaded.passwordMode).toBe(session.passwordMode);
    expect(loaded.dump()).toEqual(dump);
    const reply = await loaded.apiRequest("/core/v4/users");
    expect(reply.Code).toBe(1000);
  });

  it("writes the Python client's keys", async () => {
    const { session } = await loggedIn();

    const dump = session.dump();

    expect(dump.api_url).toBe(api.url);
    expect(dump.appversion).toBe("Other");
    expect(dump["User-Agent"]).toBe("proton-ts-tests");
    expect(dump.cookies).toEqual({});
    expect(dump.format_version).toBe(SESSION_DUMP_FORMAT_VERSION);
    expect(Object.keys(dump.session_data).sort()).toEqual(
      ["AccessToken", "PasswordMode", "RefreshToken", "Scope", "UID"].sort(),
    );
    expect(dump.session_data.Scope).toEqual([...session.scopes]);
  });

  it("loads a dump in the Python client's format", async () => {
    const { session } = await loggedIn();
    // Exactly what proton-python-client's Session.dump() returns after provide_2fa: no
    // format_version, and Scope as the space-separated string from the 2FA reply.
    const python = {
      api_url: api.url,
      appversion: "Other",
      "User-Agent": "None",
      cookies: {},
      session_data: {
        UID: session.uid,
        AccessToken: session.accessToken,
        RefreshToken: session.refreshToken,
        Scope: session.scopes.join(" "),
      },
    };

    const { session: loaded } = track(loadTestSession(api, JSON.stringify(python)));

    expect(loaded.userAgent).toBe("None");
    expect(loaded.scopes).toEqual(session.scopes);
    const reply = await loaded.apiRequest("/core/v4/users");
    expect(reply.Code).toBe(1000);
  });

  it("refreshes a loaded session", async () => {
    const { session } = await loggedIn();
    const { session: loaded, changes } = track(loadTestSession(api, session.dump()));
    api.control.expireAccessTokens();

    await loaded.apiRequest("/core/v4/users");

    expect(changes.map((change) => change.reason)).toEqual(["refresh"]);
    expect(changes[0]?.dump.session_data.AccessToken).toBe(loaded.accessToken);
    expect(loaded.accessToken).not.toBe(session.accessToken);
  });

  it("keeps unknown fields through load and dump", async () => {
    const { session } = await loggedIn();
    const dump = {
      ...session.dump(),
      proxy: { url: "http://127.0.0.1:1" },
      session_data: { ...session.dump().session_data, Expiry: 99 },
    };

    const { session: loaded } = track(loadTestSession(api, dump));
    await loaded.refresh();
    const written = loaded.dump();

    expect(written["proxy"]).toEqual({ url: "http://127.0.0.1:1" });
    expect(written.session_data["Expiry"]).toBe(99);
    expect(written.session_data.AccessToken).toBe(loaded.accessToken);
  });

  it("lets options override the dump", () => {
    const dump = {
      api_url: "https://api.protonmail.ch",
      appversion: "Other",
      "User-Agent": "None",
      session_data: {},
    };
    const { session } = track(
      loadTestSession(api, dump, { apiUrl: api.url, appVersion: "app@2.0.0", userAgent: "ua" }),
    );
    expect(session.apiUrl).toBe(api.url);
    expect(session.appVersion).toBe("app@2.0.0");
    expect(session.userAgent).toBe("ua");
    expect(session.isAuthenticated).toBe(false);
  });

  it("rejects a corrupt dump", () => {
    const error = (() => {
      try {
        loadTestSession(api, { api_url: api.url, appversion: "Other", session_data: {} });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(InvalidSessionDumpError.isInstance(error)).toBe(true);
    expect((error as InvalidSessionDumpError).field).toBe("User-Agent");
  });

  it.each([
    ["session_data.UID", "uid\r\nX-Injected: 1"],
    ["session_data.AccessToken", "access\ntoken"],
    ["session_data.AccessToken", "access token"],
    ["session_data.RefreshToken", "refresh\u2028token"],
    ["appversion", "Other\r\nX-Injected: 1"],
    ["User-Agent", "agent\u0100"],
  ])("rejects an unsendable %s", async (field, value) => {
    const { session } = await loggedIn();
    const dump = session.dump();
    if (field.startsWith("session_data.")) {
      dump.session_data[field.slice("session_data.".length)] = value;
    } else {
      dump[field] = value;
    }

    const error = (() => {
      try {
        loadTestSession(api, dump);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    expect(InvalidSessionDumpError.isInstance(error)).toBe(true);
    expect((error as InvalidSessionDumpError).field).toBe(field);
    expect((error as Error).message).toMatch(/cannot be sent in an HTTP header/);
    expect((error as Error).message).not.toContain(value);
  });

  it("rejects a foreign JSON document", () => {
    expect(() => loadTestSession(api, '{"name":"package.json"}')).toThrow(/api_url/);
  });
});

describe("logout", () => {
  it("ends the session on the server", async () => {
    const { session, changes } = await loggedIn();
    const dump = session.dump();

    await session.logout();

    expect(session.isAuthenticated).toBe(false);
    expect(session.dump().session_data).toEqual({});
    expect(changes.map((change) => change.reason)).toEqual(["logout"]);
    expect(changes[0]?.accessToken).toBeUndefined();
    const { session: stale } = track(loadTestSession(api, dump));
    const error = await catchError(() => stale.apiRequest("/core/v4/users"));
    expect(SessionExpiredError.isInstance(error)).toBe(true);
  });

  it("treats a 401 as logged out", async () => {
    const { session, logger } = await loggedIn();
    api.control.revokeSessions();
    api.control.clearRequestLog();

    await session.logout();

    expect(session.isAuthenticated).toBe(false);
    expect(countRoute(api, "POST /auth/v4/refresh")).toBe(0);
    expect(logger.withMessage("Logged out; the server had already ended the session")).toHaveLength(
      1,
    );
  });

  it("clears local state when the request fails", async () => {
    const { session, changes } = await loggedIn();
    api.control.injectFault({ route: "DELETE /auth/v4", kind: "status", status: 500 });

    const error = await catchError(() => session.logout());

    expect((error as ApiError).status).toBe(500);
    expect(session.isAuthenticated).toBe(false);
    expect(changes.map((change) => change.reason)).toEqual(["logout"]);
  });

  it("clears tokens a refresh replaced meanwhile", async () => {
    const { session, changes } = await loggedIn();
    api.control.injectFault({
      route: "POST /auth/v4/refresh",
      kind: "delay",
      delayMs: 300,
      times: 1,
    });
    api.control.clearRequestLog();

    const refreshed = session.refresh();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await session.logout();
    await refreshed;

    expect(session.isAuthenticated).toBe(false);
    expect(session.dump().session_data).toEqual({});
    expect(changes.map((change) => change.reason)).toEqual(["refresh", "logout"]);
    const deletes = api.control.requestLog().filter((entry) => entry.route === "DELETE /auth/v4");
    expect(deletes.map((entry) => entry.status)).toEqual([200]);
  });

  it("runs before a login during a refresh", async () => {
    const { session, changes } = await loggedIn();
    const oldUid = session.uid;
    const next = await addUser(api);
    api.control.injectFault({
      route: "POST /auth/v4/refresh",
      kind: "delay",
      delayMs: 300,
      times: 1,
    });

    const refreshed = session.refresh();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await session.authenticate(next.username, next.password);
    await refreshed;

    expect(changes.map((change) => change.reason)).toEqual(["refresh", "logout", "login"]);
    expect(session.uid).toBe(result.uid);
    expect(session.uid).not.toBe(oldUid);
  });

  it("keeps a login that finished meanwhile", async () => {
    const { session, changes } = await loggedIn();
    const next = await addUser(api);
    api.control.injectFault({ route: "DELETE /auth/v4", kind: "delay", delayMs: 1500, times: 1 });

    const loggingOut = session.logout();
    const result = await session.authenticate(next.username, next.password);
    await loggingOut;

    expect(session.isAuthenticated).toBe(true);
    expect(session.uid).toBe(result.uid);
    expect(changes.map((change) => change.reason)).toEqual(["logout", "login"]);
    const reply = await session.apiRequest("/core/v4/users");
    expect(reply.Code).toBe(1000);
  });

  it("does nothing when logged out", async () => {
    const created = track(createTestSession(api));
    api.control.clearRequestLog();
    await created.session.logout();
    expect(api.control.requestLog()).toEqual([]);
    expect(created.changes).toEqual([]);
  });
});

describe("token change callback", () => {
  function sessionWithCallback(onTokenChange: SessionOptions["onTokenChange"]) {
    const transport = createNodeTransport({ pins: [api.pin], ca: api.ca });
    const logger = new CapturingLogger();
    const session = new Session({
      apiUrl: api.url,
      appVersion: "Other",
      userAgent: "proton-ts-tests",
      transport,
      logger,
      onTokenChange,
    });
    open.push({ session, logger, changes: [], close: () => transport.close() });
    return { session, logger };
  }

  it("is awaited before the new token is used", async () => {
    const user = await addUser(api);
    const order: string[] = [];
    const { session } = sessionWithCallback(async (change) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      order.push(`persisted ${change.reason}`);
    });
    await session.authenticate(user.username, user.password);
    api.control.expireAccessTokens(user.username);

    await session.apiRequest("/core/v4/users");
    order.push("request done");

    expect(order).toEqual(["persisted login", "persisted refresh", "request done"]);
  });

  it("logs a failing callback and goes on", async () => {
    const user = await addUser(api);
    const { session, logger } = sessionWithCallback(() => {
      throw new Error("disk full");
    });

    await session.authenticate(user.username, user.password);

    expect(session.isAuthenticated).toBe(true);
    const [entry] = logger.withMessage("The onTokenChange callback failed");
    expect(entry?.level).toBe("error");
    expect(entry?.fields?.["error"]).toEqual({ name: "Error", message: "disk full" });
  });
});
