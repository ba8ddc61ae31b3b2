import { ApiError, RateLimitError } from "@proton/api";
import { type FakeApi, startFakeApi } from "@proton/fake-api";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  addUser,
  type ClientOptions,
  catchError,
  countRoute,
  createClient,
  expectNoTokenLogged,
  routeEntries,
  type TestClient,
} from "./helpers/client.js";

const USERS = "GET /core/v4/users";
/** Slack for timer and clock granularity when a test checks that a wait happened, in ms. */
const TIMER_SLACK_MS = 15;

let api: FakeApi;
const clients: TestClient[] = [];

beforeAll(async () => {
  api = await startFakeApi();
});

afterAll(async () => {
  for (const client of clients) {
    expectNoTokenLogged(client);
  }
  await Promise.all(clients.map((client) => client.close()));
  await api.close();
});

beforeEach(() => {
  api.control.clearFaults();
  api.control.clearRequestLog();
});

/** Logs a new user in, keeps its dump text, and clears the request log. */
async function loggedIn(options: ClientOptions = {}) {
  const user = await addUser(api);
  const tested = await createClient(api, options);
  clients.push(tested);
  await tested.session.authenticate(user.username, user.password);
  const loginDump = await tested.dumpFile.readText();
  api.control.clearRequestLog();
  return { user, tested, loginDump };
}

/** Checks that rate limiting left the session and its dump file as the login stored them. */
async function expectSessionKept(tested: TestClient, loginDump: string): Promise<void> {
  expect(tested.session.isAuthenticated).toBe(true);
  expect(tested.dumpFile.reasons()).toEqual(["login"]);
  expect(await tested.dumpFile.readText()).toBe(loginDump);
}

/** Milliseconds between the first and the second request-log entry of a route. */
function gapBetweenAttempts(route: string): number {
  const [first, second] = routeEntries(api, route);
  if (first === undefined || second === undefined) {
    throw new Error(`Expected two requests to ${route} in the fake API's log.`);
  }
  return second.time - first.time;
}

describe("Retry-After forms", () => {
  test("seconds are waited for", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter: "1", times: 1 });

    const users = await tested.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    expect(routeEntries(api, USERS).map((entry) => entry.status)).toEqual([429, 200]);
    expect(gapBetweenAttempts(USERS)).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
    await expectSessionKept(tested, loginDump);
  });

  test("HTTP date is waited for", async () => {
    const { tested, loginDump } = await loggedIn();
    // An HTTP date has whole seconds, so 3 s from now is a wait of 2 to 3 s, minus the time
    // the request takes to reach the server and come back.
    const retryAfter = new Date(Date.now() + 3000).toUTCString();
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter, times: 1 });

    const users = await tested.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    expect(gapBetweenAttempts(USERS)).toBeGreaterThanOrEqual(1000);
    expect(gapBetweenAttempts(USERS)).toBeLessThan(4000);
    await expectSessionKept(tested, loginDump);
  });

  test.each([
    ["garbage", "soon"],
    ["negative", "-5"],
    ["fraction", "0.5"],
    ["empty", ""],
  ])("%s value uses the default delay", async (_name, retryAfter) => {
    const { tested, loginDump } = await loggedIn({ retry: { defaultDelayMs: 300 } });
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter, times: 1 });

    const users = await tested.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    expect(gapBetweenAttempts(USERS)).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS);
    expect(gapBetweenAttempts(USERS)).toBeLessThan(2000);
    await expectSessionKept(tested, loginDump);
  });

  test("HTTP date in the past retries at once", async () => {
    const { tested, loginDump } = await loggedIn({ retry: { defaultDelayMs: 5000 } });
    const retryAfter = new Date(Date.now() - 60_000).toUTCString();
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter, times: 1 });

    const users = await tested.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    expect(gapBetweenAttempts(USERS)).toBeLessThan(1000);
    await expectSessionKept(tested, loginDump);
  });

  test("number beyond the safe range is not waited for", async () => {
    const { tested, loginDump } = await loggedIn();
    const retryAfter = "99999999999999999999999";
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter, times: 1 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(60_000);
    expect(countRoute(api, USERS)).toBe(1);
    await expectSessionKept(tested, loginDump);
  });

  test("503 without Retry-After uses the default delay", async () => {
    const { tested, loginDump } = await loggedIn({ retry: { defaultDelayMs: 300 } });
    api.control.injectFault({ route: USERS, kind: "status", status: 503, times: 1 });

    const users = await tested.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    expect(gapBetweenAttempts(USERS)).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS);
    await expectSessionKept(tested, loginDump);
  });

  test("very large value is not waited for", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter: "86400", times: 1 });
    const started = Date.now();

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(86_400_000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(countRoute(api, USERS)).toBe(1);
    await expectSessionKept(tested, loginDump);
  });

  test("value above maxRetryAfterMs is not waited for", async () => {
    const { tested } = await loggedIn({ retry: { maxRetryAfterMs: 500 } });
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter: "1", times: 1 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(1000);
    expect(countRoute(api, USERS)).toBe(1);
  });
});

describe("rate-limit budget", () => {
  test("five 429s end with RateLimitError", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter: "0", times: 5 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).status).toBe(429);
    // The first attempt and the 3 retries of the default budget.
    expect(routeEntries(api, USERS).map((entry) => entry.status)).toEqual([429, 429, 429, 429]);
    await expectSessionKept(tested, loginDump);
  });

  test("budget refills after a success", async () => {
    const { tested, loginDump } = await loggedIn();
    // 4 429s use the first attempt and the 3 retries of the default budget.
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter: "0", times: 4 });
    await catchError(() => tested.session.apiRequest("/core/v4/users"));

    const first = await tested.session.apiRequest("/core/v4/users");
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter: "0", times: 1 });
    const second = await tested.session.apiRequest("/core/v4/users");

    expect(first.Code).toBe(1000);
    expect(second.Code).toBe(1000);
    await expectSessionKept(tested, loginDump);
  });

  test("login survives a 503 on its proof", async () => {
    const user = await addUser(api);
    const tested = await createClient(api);
    clients.push(tested);
    api.control.injectFault({
      route: "POST /auth/v4",
      kind: "status",
      status: 503,
      retryAfter: "0",
      times: 1,
    });

    const result = await tested.session.authenticate(user.username, user.password);

    expect(result.uid).toBe(tested.session.uid);
    expect(routeEntries(api, "POST /auth/v4").map((entry) => entry.status)).toEqual([503, 200]);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
  });

  test("502 on the login proof is not retried", async () => {
    const user = await addUser(api);
    const tested = await createClient(api);
    clients.push(tested);
    api.control.injectFault({ route: "POST /auth/v4", kind: "status", status: 502, times: 1 });

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).status).toBe(502);
    expect(countRoute(api, "POST /auth/v4")).toBe(1);
    expect(tested.session.isAuthenticated).toBe(false);
    expect(tested.dumpFile.changes).toHaveLength(0);
  });

  test("login throttle 2028 is not retried", async () => {
    const user = await addUser(api);
    const tested = await createClient(api);
    clients.push(tested);
    api.control.injectFault({ route: "POST /auth/v4", kind: "rate-limit", code: 2028 });

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).code).toBe(2028);
    expect(countRoute(api, "POST /auth/v4")).toBe(1);
    expect(tested.session.isAuthenticated).toBe(false);
    expect(tested.dumpFile.changes).toHaveLength(0);
  });
});

describe("rate-limit window", () => {
  test("requests wait out the window of the first 429", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter: "1", times: 1 });
    const followers: Promise<unknown>[] = [];
    // The 7 other requests start the moment the session decides to wait for the first 429.
    tested.logger.onEntry = (entry) => {
      if (entry.message === "Retrying request" && followers.length === 0) {
        for (let index = 0; index < 7; index++) {
          followers.push(tested.session.apiRequest("/core/v4/users"));
        }
      }
    };

    const first = await tested.session.apiRequest("/core/v4/users");
    const rest = await Promise.all(followers);

    expect(first.Code).toBe(1000);
    expect(rest).toHaveLength(7);
    const entries = routeEntries(api, USERS);
    expect(entries).toHaveLength(9);
    const [limited, ...afterwards] = entries;
    expect(limited?.status).toBe(429);
    for (const entry of afterwards) {
      expect(entry.status).toBe(200);
      expect(entry.time - (limited?.time ?? 0)).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
    }
    await expectSessionKept(tested, loginDump);
  });

  test("window beyond the cap holds later requests", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter: "3600" });

    const first = await catchError(() => tested.session.apiRequest("/core/v4/users"));
    const later = await Promise.allSettled(
      Array.from({ length: 7 }, () => tested.session.apiRequest("/core/v4/users")),
    );

    expect(RateLimitError.isInstance(first)).toBe(true);
    for (const outcome of later) {
      expect(outcome.status).toBe("rejected");
      expect(RateLimitError.isInstance((outcome as PromiseRejectedResult).reason)).toBe(true);
    }
    expect(countRoute(api, USERS)).toBe(1);
    await expectSessionKept(tested, loginDump);
  });

  test("8 concurrent 429s send nothing during the window", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "rate-limit", retryAfter: "1", times: 8 });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => tested.session.apiRequest("/core/v4/users")),
    );

    const entries = routeEntries(api, USERS);
    const limited = entries.filter((entry) => entry.status === 429);
    const retried = entries.filter((entry) => entry.status === 200);
    expect(limited).toHaveLength(8);
    const firstLimited = Math.min(...limited.map((entry) => entry.time));
    for (const entry of retried) {
      expect(entry.time - firstLimited).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
    }
    // The session's 3 shared retries go to 3 requests; the other 5 fail at once.
    expect(retried).toHaveLength(3);
    const failures = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(failures).toHaveLength(5);
    for (const failure of failures) {
      expect(RateLimitError.isInstance(failure.reason)).toBe(true);
    }
    await expectSessionKept(tested, loginDump);
  });
});
