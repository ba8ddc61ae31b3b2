import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { inspect } from "node:util";
import {
  ApiError,
  NetworkError,
  RateLimitError,
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
  type TestClient,
} from "./helpers/client.js";
import { type RewritingProxy, startRewritingProxy } from "./helpers/rewriting-proxy.js";

const USERS = "GET /core/v4/users";

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

/** Logs a new user in with short retry delays, keeps its dump text, and clears the request log. */
async function loggedIn(endpoint: Endpoint = api, options: ClientOptions = {}) {
  const user = await addUser(api);
  const tested = await createClient(endpoint, { retry: { defaultDelayMs: 50 }, ...options });
  clients.push(tested);
  await tested.session.authenticate(user.username, user.password);
  const loginDump = await tested.dumpFile.readText();
  api.control.clearRequestLog();
  return { tested, loginDump };
}

/**
 * Checks that the failure left the session and its dump file as the login stored them, and that
 * the session works once the server behaves.
 */
/**
 * Checks a session whose server requested a wait longer than it retries: the session delays its
 * requests for that wait, the stored dump is unchanged, and a session loaded from the dump
 * works once the server recovers.
 */
async function expectHeldThenRecovered(tested: TestClient, loginDump: string): Promise<void> {
  const held = await catchError(() => tested.session.apiRequest("/core/v4/users"));
  expect(RateLimitError.isInstance(held)).toBe(true);
  expect(countRoute(api, USERS)).toBe(1);
  expect(tested.session.isAuthenticated).toBe(true);
  expect(await tested.dumpFile.readText()).toBe(loginDump);

  api.control.clearFaults();
  const restarted = await loadClient(api, tested.dumpFile);
  clients.push(restarted);
  const users = await restarted.session.apiRequest("/core/v4/users");
  expect(users.Code).toBe(1000);
}

async function expectRecovered(tested: TestClient, loginDump: string): Promise<void> {
  api.control.clearFaults();
  proxy.setRewrite(undefined);

  const users = await tested.session.apiRequest("/core/v4/users");

  expect(users.Code).toBe(1000);
  expect(tested.session.isAuthenticated).toBe(true);
  expect(tested.dumpFile.reasons()).toEqual(["login"]);
  expect(await tested.dumpFile.readText()).toBe(loginDump);
}

/** Reads a response stream to its end and returns the byte count. */
async function readStream(stream: ReadableStream<Uint8Array> | undefined): Promise<number> {
  if (stream === undefined) {
    throw new Error("Expected a streamed response.");
  }
  const reader = stream.getReader();
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return length;
    }
    length += value.length;
  }
}

/** Checks that the dump file still contains the login's session, unchanged. */
async function expectRecoveredAfterRefreshLoss(tested: TestClient, loginDump: string) {
  expect(tested.session.isAuthenticated).toBe(true);
  expect(tested.dumpFile.reasons()).toEqual(["login"]);
  expect(await tested.dumpFile.readText()).toBe(loginDump);
}

/** Makes the proxy replace the reply to `GET /core/v4/users`. */
function replaceUsersReply(replacement: Parameters<RewritingProxy["setRewrite"]>[0]): void {
  proxy.setRewrite((reply) => (reply.route === USERS ? replacement?.(reply) : undefined));
}

describe("non-JSON responses", () => {
  test("HTML 503 page once is retried", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "html", status: 503, times: 1 });

    const users = await tested.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    expect(countRoute(api, USERS)).toBe(2);
    await expectRecovered(tested, loginDump);
  });

  test("HTML 503 page is UnexpectedResponseError", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "html", status: 503 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    const unexpected = error as UnexpectedResponseError;
    expect(unexpected.status).toBe(503);
    expect(unexpected.contentType).toMatch(/^text\/html/);
    expect(unexpected.bodySnippet).toMatch(/maintenance/);
    // The first attempt and the 3 retries of the default budget.
    expect(countRoute(api, USERS)).toBe(4);
    await expectRecovered(tested, loginDump);
  });

  test("JSON 503 carries its Retry-After", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "status", status: 503, retryAfter: "120" });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).retryAfterMs).toBe(120_000);
    expect(countRoute(api, USERS)).toBe(1);
    await expectHeldThenRecovered(tested, loginDump);
  });

  test("HTML 503 carries its Retry-After", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "html", status: 503, retryAfter: "120" });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as { retryAfterMs?: unknown }).retryAfterMs).toBe(120_000);
    await expectHeldThenRecovered(tested, loginDump);
  });

  test("truncated JSON is UnexpectedResponseError", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "malformed", times: 1 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(200);
    expect((error as Error).message).toMatch(/not a JSON object/);
    expect(countRoute(api, USERS)).toBe(1);
    await expectRecovered(tested, loginDump);
  });

  test("JSON array is UnexpectedResponseError", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "non-object", times: 1 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    // A 2xx body may contain tokens, so none of it is kept on the error.
    expect((error as UnexpectedResponseError).bodySnippet).toBeUndefined();
    await expectRecovered(tested, loginDump);
  });

  test("truncated login reply stores nothing", async () => {
    const user = await addUser(api);
    const tested = await createClient(api);
    clients.push(tested);
    api.control.injectFault({ route: "POST /auth/v4", kind: "malformed", times: 1 });

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect(tested.session.isAuthenticated).toBe(false);
    expect(tested.dumpFile.changes).toHaveLength(0);
  });
});

describe("truncated replies with tokens", () => {
  /** Cuts the JSON text right after the value of `field`, so the tokens before it survive. */
  function truncateAfter(body: Buffer, field: string): { text: string; token: string } {
    const text = body.toString("utf8");
    const match = new RegExp(`"${field}":"([^"]+)"`).exec(text);
    if (match === null) {
      throw new Error(`The reply has no ${field}.`);
    }
    return { text: text.slice(0, match.index + match[0].length), token: match[1] as string };
  }

  /**
   * Makes the proxy cut the 200 replies of `route` right after their `AccessToken` value, and
   * returns a function that reads the last token it cut off.
   */
  function truncateRepliesAfterAccessToken(route: string): () => string {
    let token = "";
    proxy.setRewrite((reply) => {
      if (reply.route !== route || reply.status !== 200) {
        return undefined;
      }
      const cut = truncateAfter(reply.body, "AccessToken");
      token = cut.token;
      return { raw: cut.text, status: 200, headers: { "content-type": "application/json" } };
    });
    return () => token;
  }

  test("truncated login reply leaks no token", async () => {
    const user = await addUser(api);
    const tested = await createClient(proxy);
    clients.push(tested);
    const cutToken = truncateRepliesAfterAccessToken("POST /auth/v4");

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    const token = cutToken();
    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect(token).not.toBe("");
    expect((error as Error).message).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(inspect(error)).not.toContain(token);
    expect(tested.logger.lines().join("\n")).not.toContain(token);
    expect(tested.session.isAuthenticated).toBe(false);
  });

  test("truncated refresh reply keeps the session", async () => {
    const { tested, loginDump } = await loggedIn(proxy);
    const cutToken = truncateRepliesAfterAccessToken("POST /auth/v4/refresh");

    const error = await catchError(() => tested.session.refresh());

    const token = cutToken();
    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect(token).not.toBe("");
    expect(JSON.stringify(error)).not.toContain(token);
    expect(inspect(error)).not.toContain(token);
    expect(tested.logger.lines().join("\n")).not.toContain(token);
    // NOTE: the server rotated the tokens, so the kept refresh token is dead; the next refresh
    // gets 10013. The stored session is still the last one the client could read.
    await expectRecoveredAfterRefreshLoss(tested, loginDump);
  });
});

describe("content type", () => {
  test("API JSON labelled text/plain is read", async () => {
    const { tested, loginDump } = await loggedIn(proxy);
    replaceUsersReply((reply) => ({
      raw: reply.body,
      status: reply.status,
      headers: { "content-type": "text/plain; charset=utf-8" },
    }));

    const users = await tested.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    expect(users["User"]).toBeTypeOf("object");
    await expectRecovered(tested, loginDump);
  });

  test("HTML labelled application/json is rejected", async () => {
    const { tested, loginDump } = await loggedIn(proxy);
    replaceUsersReply(() => ({
      raw: "<!DOCTYPE html><html><body>Login to the captive portal</body></html>",
      status: 200,
      headers: { "content-type": "application/json" },
    }));

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).contentType).toBe("application/json");
    expect((error as UnexpectedResponseError).bodySnippet).toBeUndefined();
    await expectRecovered(tested, loginDump);
  });
});

describe("large bodies", () => {
  test("32 MiB success body is read whole", async () => {
    const { tested, loginDump } = await loggedIn();
    const bytes = 32 * 1024 * 1024;
    api.control.injectFault({ route: USERS, kind: "large-body", bytes, times: 1 });

    const body = await tested.session.apiRequest("/core/v4/users");

    expect(body.Code).toBe(1000);
    expect((body["Padding"] as string).length).toBe(bytes - '{"Code":1000,"Padding":""}'.length);
    await expectRecovered(tested, loginDump);
  });

  test("80 MiB success body is UnexpectedResponseError", async () => {
    const { tested, loginDump } = await loggedIn();
    // The Node.js transport buffers at most 64 MiB of a body by default.
    api.control.injectFault({
      route: USERS,
      kind: "large-body",
      bytes: 80 * 1024 * 1024,
      times: 1,
    });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(200);
    expect((error as Error).message).toMatch(/maxBodyBytes|limit/);
    await expectRecovered(tested, loginDump);
  });

  test("8 MiB error body is UnexpectedResponseError", async () => {
    const { tested, loginDump } = await loggedIn(proxy);
    replaceUsersReply(() => ({
      raw: Buffer.alloc(8 * 1024 * 1024, "x"),
      status: 500,
      headers: { "content-type": "text/html" },
    }));

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(500);
    expect((error as Error).message).toMatch(/maxBodyBytes|limit/);
    await expectRecovered(tested, loginDump);
  });
});

describe("connection failures", () => {
  test("server that never answers times out", async () => {
    const { tested, loginDump } = await loggedIn(api, { timeoutMs: 500 });
    api.control.injectFault({ route: USERS, kind: "hang", times: 1 });
    const started = Date.now();

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(500);
    expect(Date.now() - started).toBeLessThan(5000);
    await expectRecovered(tested, loginDump);
  });

  test("per-request timeout overrides the session's", async () => {
    const { tested, loginDump } = await loggedIn(api, { timeoutMs: 30_000 });
    api.control.injectFault({ route: USERS, kind: "hang", times: 1 });

    const error = await catchError(() =>
      tested.session.apiRequest("/core/v4/users", { timeoutMs: 300 }),
    );

    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(300);
    await expectRecovered(tested, loginDump);
  });

  test("reset before the response is NetworkError", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "reset", times: 1 });

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(NetworkError.isInstance(error)).toBe(true);
    expect(countRoute(api, USERS)).toBe(1);
    await expectRecovered(tested, loginDump);
  });

  test("reset mid-body is NetworkError", async () => {
    const { tested, loginDump } = await loggedIn(proxy);
    replaceUsersReply((reply) => ({
      cutBody: reply.body.toString("utf8"),
      status: 200,
      declaredLength: reply.body.length,
      sentBytes: Math.floor(reply.body.length / 2),
    }));

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(NetworkError.isInstance(error)).toBe(true);
    await expectRecovered(tested, loginDump);
  });

  test("stalled body times out", async () => {
    const { tested, loginDump } = await loggedIn(proxy, { timeoutMs: 500 });
    replaceUsersReply((reply) => ({
      cutBody: reply.body.toString("utf8"),
      status: 200,
      declaredLength: reply.body.length,
      sentBytes: 10,
      stall: true,
    }));
    const started = Date.now();

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(500);
    expect(Date.now() - started).toBeLessThan(5000);
    await expectRecovered(tested, loginDump);
  });

  test("TLS handshake that never completes times out", async () => {
    // A TCP server that accepts connections and never replies to the TLS client hello.
    const silent = createServer(() => undefined);
    const sockets = new Set<Socket>();
    silent.on("connection", (socket) => sockets.add(socket));
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const port = (silent.address() as AddressInfo).port;
    const tested = await createClient(
      { url: `https://127.0.0.1:${port}`, pin: api.pin, ca: api.ca },
      { timeoutMs: 500 },
    );
    clients.push(tested);
    const started = Date.now();

    try {
      const error = await catchError(() => tested.session.apiRequest("/tests/ping"));

      expect(TimeoutError.isInstance(error)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const socket of sockets) {
        socket.destroy();
      }
      silent.close();
    }
  });

  test("streamed body cut mid-way is NetworkError", async () => {
    const { tested, loginDump } = await loggedIn(proxy);
    replaceUsersReply((reply) => ({
      cutBody: reply.body.toString("utf8"),
      status: 200,
      declaredLength: reply.body.length,
      sentBytes: Math.floor(reply.body.length / 2),
    }));

    const response = await tested.session.apiRequest("/core/v4/users", {
      raw: true,
      stream: true,
    });
    const error = await catchError(() => readStream(response.stream));

    expect(response.status).toBe(200);
    expect(NetworkError.isInstance(error)).toBe(true);
    await expectRecovered(tested, loginDump);
  });

  test("stalled streamed body times out", async () => {
    const { tested, loginDump } = await loggedIn(proxy, { timeoutMs: 500 });
    replaceUsersReply((reply) => ({
      cutBody: reply.body.toString("utf8"),
      status: 200,
      declaredLength: reply.body.length,
      sentBytes: 10,
      stall: true,
    }));

    const response = await tested.session.apiRequest("/core/v4/users", {
      raw: true,
      stream: true,
    });
    const error = await catchError(() => readStream(response.stream));

    expect(TimeoutError.isInstance(error)).toBe(true);
    await expectRecovered(tested, loginDump);
  });

  test("refused connection keeps the stored session", async () => {
    const { tested, loginDump } = await loggedIn();
    // A port that was just free and is closed again: nothing listens there.
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const offline = await loadClient(
      { url: `https://127.0.0.1:${port}`, pin: api.pin, ca: api.ca },
      tested.dumpFile,
    );
    clients.push(offline);

    const error = await catchError(() => offline.session.refresh());

    expect(NetworkError.isInstance(error)).toBe(true);
    expect((error as NetworkError).errorCode).toBe("ECONNREFUSED");
    expect(offline.session.isAuthenticated).toBe(true);
    expect(await tested.dumpFile.readText()).toBe(loginDump);
    await expectRecovered(tested, loginDump);
  });

  test("caller abort rejects with its reason", async () => {
    const { tested, loginDump } = await loggedIn();
    api.control.injectFault({ route: USERS, kind: "hang", times: 1 });
    const controller = new AbortController();
    const reason = new Error("The caller gave up.");
    setTimeout(() => controller.abort(reason), 200);

    const error = await catchError(() =>
      tested.session.apiRequest("/core/v4/users", { signal: controller.signal }),
    );

    expect(error).toBe(reason);
    await expectRecovered(tested, loginDump);
  });
});
