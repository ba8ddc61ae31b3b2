import { inspect } from "node:util";
import {
  ApiError,
  AppVersionError,
  HumanVerificationRequiredError,
  SrpError,
  UnexpectedResponseError,
} from "@proton/errors";
import type { FakeApi } from "@proton/fake-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../src/index.js";
import {
  addUser,
  catchError,
  createTestSession,
  startTestApi,
  type TestSession,
} from "./helpers.js";
import { type Relay, startRelay } from "./relay.js";

let api: FakeApi;
let relay: Relay;
const open: TestSession[] = [];

function newSession(options: Parameters<typeof createTestSession>[1] = {}): TestSession {
  const created = createTestSession(api, options);
  open.push(created);
  return created;
}

/** Creates a session through the relay, logged in as a new user. */
async function loggedInThroughRelay(): Promise<TestSession> {
  const user = await addUser(api);
  const created = newSession({ apiUrl: relay.url });
  await created.session.authenticate(user.username, user.password);
  relay.requests.length = 0;
  created.changes.length = 0;
  return created;
}

beforeAll(async () => {
  api = await startTestApi();
  relay = await startRelay(api);
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((created) => created.close()));
  api.control.clearFaults();
  relay.clearEdits();
  relay.requests.length = 0;
});

afterAll(async () => {
  await relay.close();
  await api.close();
});

describe("apiRequest", () => {
  it("sends an unauthenticated GET", async () => {
    const { session } = newSession();
    const reply = await session.apiRequest("/tests/ping");
    expect(reply.Code).toBe(1000);
  });

  it("sends the session headers", async () => {
    const { session } = await loggedInThroughRelay();

    await session.apiRequest("/core/v4/users", {
      headers: { "X-Custom": "1", Authorization: "Bearer forged", "x-pm-uid": "forged" },
    });

    const [sent] = relay.requests;
    expect(sent?.method).toBe("GET");
    expect(sent?.headers["x-pm-appversion"]).toBe("Other");
    expect(sent?.headers["user-agent"]).toBe("proton-ts-tests");
    expect(sent?.headers["x-custom"]).toBe("1");
    expect(sent?.headers["x-pm-uid"]).toBe(session.uid);
    expect(sent?.headers.authorization).toBe(`Bearer ${session.accessToken}`);
  });

  it("sends a default User-Agent", async () => {
    const { session } = newSession({ apiUrl: relay.url, userAgent: undefined });
    await session.apiRequest("/tests/ping");
    expect(relay.requests[0]?.headers["user-agent"]).toBe("proton-ts");
  });

  it("sends no credentials when logged out", async () => {
    const { session } = newSession({ apiUrl: relay.url });
    await session.apiRequest("/tests/ping");
    const [sent] = relay.requests;
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.headers["x-pm-uid"]).toBeUndefined();
  });

  it("appends query parameters", async () => {
    const { session } = await loggedInThroughRelay();

    await session.apiRequest("/core/v4/addresses", {
      query: { Page: 2, Desc: true, Skip: undefined, "ID[]": ["a b", "c&d"] },
    });

    expect(relay.requests[0]?.url).toBe(
      "/core/v4/addresses?Page=2&Desc=true&ID%5B%5D=a+b&ID%5B%5D=c%26d",
    );
  });

  it("posts a JSON body", async () => {
    const { session } = await loggedInThroughRelay();
    const error = await catchError(() =>
      session.apiRequest("/core/v4/users", { json: { Name: "x" } }),
    );
    expect(relay.requests[0]?.method).toBe("POST");
    expect(relay.requests[0]?.headers["content-type"]).toMatch(/application\/json/);
    expect(JSON.parse(relay.requests[0]?.body ?? "")).toEqual({ Name: "x" });
    expect((error as ApiError).status).toBe(405);
  });

  it("sends any method", async () => {
    const { session } = await loggedInThroughRelay();
    await catchError(() => session.apiRequest("/core/v4/users", { method: "patch", json: {} }));
    expect(relay.requests[0]?.method).toBe("PATCH");
  });

  it("maps a 404 to ApiError", async () => {
    const { session } = newSession();
    const error = await catchError(() => session.apiRequest("/no/such/route"));
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).request?.url).toBe(`${api.url}/no/such/route`);
  });

  it("maps a rejected app version", async () => {
    const { session } = newSession({ appVersion: " " });
    const error = await catchError(() => session.apiRequest("/tests/ping"));
    expect(AppVersionError.isInstance(error)).toBe(true);
  });

  it("returns the raw response", async () => {
    const { session } = newSession();
    const response = await session.apiRequest("/tests/ping", { raw: true });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/json/);
    expect(JSON.parse(response.text())).toEqual({ Code: 1000 });
  });

  it("streams the raw response", async () => {
    const { session } = newSession();
    const response = await session.apiRequest("/tests/ping", { raw: true, stream: true });
    const text = await new Response(response.stream).text();
    expect(JSON.parse(text)).toEqual({ Code: 1000 });
  });

  it("throws for a raw error response", async () => {
    const { session } = newSession();
    const error = await catchError(() => session.apiRequest("/missing", { raw: true }));
    expect((error as ApiError).status).toBe(404);
  });

  it("throws for a streamed error response", async () => {
    const { session } = newSession();
    const error = await catchError(() =>
      session.apiRequest("/missing", { raw: true, stream: true }),
    );
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).code).toBe(404);
  });

  it.each([
    ["an HTML page", { kind: "html", status: 500 }, 500],
    ["malformed JSON", { kind: "malformed" }, 200],
    ["a JSON array", { kind: "non-object" }, 200],
  ] as const)("rejects %s", async (_name, fault, status) => {
    const { session } = newSession();
    api.control.injectFault({ route: "GET /tests/ping", ...fault });

    const error = await catchError(() => session.apiRequest("/tests/ping"));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as UnexpectedResponseError).status).toBe(status);
  });

  it("names the path of an unexpected reply", async () => {
    const { session } = newSession();
    api.control.injectFault({ route: "GET /tests/ping", kind: "malformed" });

    const error = await catchError(() =>
      session.apiRequest("/tests/ping", { query: { Marker: "query-value" } }),
    );

    expect((error as Error).message).toMatch(/^Unexpected response to GET \/tests\/ping: HTTP 200/);
    expect((error as Error).message).not.toContain("query-value");
  });

  it("passes a caller's abort through", async () => {
    const { session } = newSession();
    api.control.injectFault({ route: "GET /tests/ping", kind: "hang" });
    const controller = new AbortController();
    const request = session.apiRequest("/tests/ping", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("cancelled by the test")), 50);
    await expect(request).rejects.toThrow("cancelled by the test");
  });

  it.each(["core/v4/users", "https://example.com/x", "//example.com/x", 5])(
    "rejects endpoint %j",
    async (endpoint) => {
      const { session } = newSession();
      await expect(session.apiRequest(endpoint as string)).rejects.toThrow(/Invalid endpoint/);
    },
  );

  it("rejects an endpoint with a fragment", async () => {
    const { session } = newSession({ apiUrl: relay.url });

    const error = await catchError(() =>
      session.apiRequest("/core/v4/messages#top", { query: { PageSize: 50 } }),
    );

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/fragment/);
    expect(relay.requests).toEqual([]);
  });

  it.each(["/../tests/ping", "/x/%2e%2e/%2e%2e/tests/ping", "/x/.%2E/../tests/ping"])(
    "rejects %j leaving the base path",
    async (endpoint) => {
      const { session } = newSession({ apiUrl: `${relay.url}/api` });

      const error = await catchError(() => session.apiRequest(endpoint));

      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/lead out of the API base path "\/api\/"/);
      expect(relay.requests).toEqual([]);
    },
  );

  it.each([0, -5, 1.5, 1e12, Number.NaN])("rejects request timeoutMs %s", async (timeoutMs) => {
    const { session } = newSession({ apiUrl: relay.url });

    const error = await catchError(() => session.apiRequest("/tests/ping", { timeoutMs }));

    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain(`Invalid options.timeoutMs ${timeoutMs}`);
    expect(relay.requests).toEqual([]);
  });
});

describe("server proof", () => {
  it.each([
    [
      "a wrong proof",
      (body: Record<string, unknown>) => {
        body["ServerProof"] = Buffer.alloc(256, 1).toString("base64");
      },
    ],
    [
      "a missing proof",
      (body: Record<string, unknown>) => {
        delete body["ServerProof"];
      },
    ],
  ])("rejects %s without storing tokens", async (_name, edit) => {
    const user = await addUser(api);
    const { session, changes } = newSession({ apiUrl: relay.url });
    relay.editReplies("POST /auth/v4", (reply) => edit(reply.body));

    const error = await catchError(() => session.authenticate(user.username, user.password));

    expect(SrpError.isInstance(error)).toBe(true);
    expect((error as SrpError).reason).toBe("server-proof-mismatch");
    expect(session.isAuthenticated).toBe(false);
    expect(changes).toEqual([]);
  });
});

describe("truncated replies", () => {
  it("keeps a truncated login reply's token out of the error", async () => {
    const user = await addUser(api);
    const { session } = newSession({ apiUrl: relay.url });
    let token = "";
    relay.editReplies("POST /auth/v4", (reply) => {
      token = String(reply.body["AccessToken"]);
      const text = JSON.stringify(reply.body);
      reply.raw = text.slice(0, text.indexOf(token) + token.length);
    });

    const error = await catchError(() => session.authenticate(user.username, user.password));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect(token.length).toBeGreaterThan(0);
    expect(inspect(error)).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(session.isAuthenticated).toBe(false);
  });

  it("keeps the start of an HTML error page", async () => {
    const { session } = newSession();
    api.control.injectFault({ route: "GET /tests/ping", kind: "html", status: 500 });

    const error = await catchError(() => session.apiRequest("/tests/ping"));

    expect((error as UnexpectedResponseError).bodySnippet).toMatch(/^<!DOCTYPE html>/);
  });
});

describe("refresh reply", () => {
  it("keeps stored values a reply leaves out", async () => {
    const { session, changes } = await loggedInThroughRelay();
    const before = { refresh: session.refreshToken, scopes: session.scopes, uid: session.uid };
    relay.editReplies("POST /auth/v4/refresh", (reply) => {
      reply.body["RefreshToken"] = "";
      delete reply.body["Scope"];
      delete reply.body["Scopes"];
      delete reply.body["UID"];
    });

    await session.refresh();

    expect(session.refreshToken).toBe(before.refresh);
    expect(session.scopes).toEqual(before.scopes);
    expect(session.uid).toBe(before.uid);
    expect(changes[0]?.refreshToken).toBe(before.refresh);
  });

  it("rejects a reply without an access token", async () => {
    const { session } = await loggedInThroughRelay();
    const before = session.dump();
    relay.editReplies("POST /auth/v4/refresh", (reply) => {
      delete reply.body["AccessToken"];
    });

    const error = await catchError(() => session.refresh());

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect(session.dump()).toEqual(before);
  });
});

describe("cookies", () => {
  it("sends back cookies the API sets", async () => {
    const { session } = newSession({ apiUrl: relay.url });
    relay.editReplies("GET /tests/ping", (reply) => {
      reply.headers["set-cookie"] = ["Session-Id=abc123; Path=/; Secure", "Tag=default; Path=/"];
    });

    await session.apiRequest("/tests/ping");
    relay.clearEdits();
    await session.apiRequest("/tests/ping");

    expect(relay.requests[0]?.headers.cookie).toBeUndefined();
    expect(relay.requests[1]?.headers.cookie).toBe("Session-Id=abc123; Tag=default");
    expect(session.dump().cookies).toEqual({ "Session-Id": "abc123", Tag: "default" });
  });
});

describe("human verification headers", () => {
  /** Makes the relay reply to `route` with code 9001 until `clearEdits`. */
  function requireVerification(route: string): void {
    relay.editReplies(route, (reply) => {
      reply.status = 422;
      reply.body = {
        Code: 9001,
        Error: "Human verification required",
        Details: { HumanVerificationToken: "challenge", HumanVerificationMethods: ["captcha"] },
      };
    });
  }

  it("sends the solved token with one request", async () => {
    const { session } = newSession({ apiUrl: relay.url });
    requireVerification("GET /tests/ping");
    const error = await catchError(() => session.apiRequest("/tests/ping"));
    expect(HumanVerificationRequiredError.isInstance(error)).toBe(true);
    relay.clearEdits();
    session.setHumanVerificationToken({ type: "captcha", token: "solved-token" });

    await session.apiRequest("/tests/ping");
    await session.apiRequest("/tests/ping");

    expect(relay.requests[1]?.headers["x-pm-human-verification-token"]).toBe("solved-token");
    expect(relay.requests[1]?.headers["x-pm-human-verification-token-type"]).toBe("captcha");
    expect(relay.requests[2]?.headers["x-pm-human-verification-token"]).toBeUndefined();
  });

  it("keeps the token from other endpoints", async () => {
    const { session } = newSession({ apiUrl: relay.url });
    requireVerification("GET /tests/ping");
    await catchError(() => session.apiRequest("/tests/ping"));
    relay.clearEdits();
    session.setHumanVerificationToken({ type: "captcha", token: "solved-token" });

    // The replies (a 401, and whatever POST gets) do not matter here. Only the headers count.
    await session.apiRequest("/core/v4/users").catch(() => undefined);
    await session.apiRequest("/tests/ping", { method: "POST" }).catch(() => undefined);
    await session.apiRequest("/tests/ping", { query: { Page: 1 } });

    const sent = relay.requests.map((request) => request.headers["x-pm-human-verification-token"]);
    expect(sent).toEqual([undefined, undefined, undefined, "solved-token"]);
  });

  it("keeps a token without a 9001 for the login", async () => {
    const { session } = newSession({ apiUrl: relay.url });
    session.setHumanVerificationToken({ type: "captcha", token: "solved-token" });

    await session.apiRequest("/tests/ping");

    expect(relay.requests[0]?.headers["x-pm-human-verification-token"]).toBeUndefined();
  });
});

describe("constructor", () => {
  const transport = { request: () => Promise.reject(new Error("unused")) };

  it.each([
    [{ apiUrl: "ftp://x", appVersion: "Other", userAgent: "", transport }, /use an https: URL/],
    [{ apiUrl: "not a url", appVersion: "Other", userAgent: "", transport }, /not an absolute URL/],
    [{ apiUrl: "https://x?a=1", appVersion: "Other", userAgent: "", transport }, /query/],
    [{ apiUrl: "https://x", appVersion: "", userAgent: "", transport }, /Missing appVersion/],
    [{ apiUrl: "https://x", appVersion: "Other", userAgent: 5, transport }, /Invalid userAgent/],
    [{ apiUrl: "https://x", appVersion: "Other", userAgent: "" }, /Missing transport/],
    [
      { apiUrl: "https://x", appVersion: "Other\r\nX-Injected: 1", userAgent: "", transport },
      /Invalid appVersion: .*cannot be sent in an HTTP header/,
    ],
    [
      { apiUrl: "https://x", appVersion: "Other", userAgent: "agent\u0100", transport },
      /Invalid userAgent: .*cannot be sent in an HTTP header/,
    ],

    [
      {
        apiUrl: "https://x",
        appVersion: "Other",
        userAgent: "",
        transport,
        retry: { maxRetries: -1 },
      },
      /retry\.maxRetries/,
    ],
  ])("rejects %o", (options, message) => {
    expect(() => new Session(options as never)).toThrow(message);
  });

  it.each([0, -5, 1.5, 1e12, Number.NaN])("rejects timeoutMs %s", (timeoutMs) => {
    const options = { apiUrl: "https://x", appVersion: "Other", transport, timeoutMs };
    expect(() => new Session(options)).toThrow(RangeError);
    expect(() => new Session(options)).toThrow(`Invalid timeoutMs ${timeoutMs}`);
  });

  it.each(["https://user:SECRET@x/", "ftp://user:SECRET@x/", "https://:SECRET@x/?a=1"])(
    "rejects credentials in %s",
    (apiUrl) => {
      const error = (() => {
        try {
          new Session({ apiUrl, appVersion: "Other", transport });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();

      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/Invalid apiUrl/);
      expect((error as Error).message).not.toContain("SECRET");
    },
  );

  it("strips a trailing slash", () => {
    const session = new Session({
      apiUrl: "https://x/api/",
      appVersion: "Other",
      userAgent: "",
      transport,
    });
    expect(session.apiUrl).toBe("https://x/api");
  });
});
