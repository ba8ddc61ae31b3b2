import { inspect } from "node:util";
import { ProtonError } from "@proton/errors";
import { type FakeApi, startFakeApi } from "@proton/fake-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTotp } from "../src/index.js";
import { addUser, catchError, createTestSession, type TestSession } from "./helpers.js";
import { type Relay, startRelay } from "./relay.js";

const TOTP_SECRET = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ";

let api: FakeApi;
let relay: Relay;
const serverLog: string[] = [];

beforeAll(async () => {
  api = await startFakeApi({ log: (line) => serverLog.push(line) });
  relay = await startRelay(api);
});

afterAll(async () => {
  await relay.close();
  await api.close();
});

/** Renders every text a caller could log: messages, `toJSON()`, inspection and stacks. */
function renderError(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 10 })];
  if (ProtonError.isInstance(error)) {
    parts.push(JSON.stringify(error.toJSON()));
  }
  if (error instanceof Error && error.stack !== undefined) {
    parts.push(error.stack);
  }
  return parts.join("\n");
}

/** Collects the secrets the session sent: proofs, ephemerals and tokens from relayed requests. */
function secretsSent(): string[] {
  const secrets: string[] = [];
  for (const request of relay.requests) {
    if (request.body === "") {
      continue;
    }
    const body = JSON.parse(request.body) as Record<string, unknown>;
    for (const field of ["ClientProof", "ClientEphemeral", "RefreshToken", "TwoFactorCode"]) {
      const value = body[field];
      if (typeof value === "string") {
        secrets.push(value);
      }
    }
    const authorization = request.headers.authorization;
    if (typeof authorization === "string") {
      secrets.push(authorization.replace("Bearer ", ""));
    }
  }
  return secrets;
}

describe("secrets", () => {
  let created: TestSession;
  let password: string;
  const errors: unknown[] = [];
  const tokens: string[] = [];

  beforeAll(async () => {
    const user = await addUser(api, { totpSecret: TOTP_SECRET });
    password = user.password;
    created = createTestSession(api, { apiUrl: relay.url, retry: { defaultDelayMs: 10 } });
    const { session } = created;

    errors.push(await catchError(() => session.authenticate(user.username, `${password}x`)));
    await session.authenticate(user.username, password);
    const code = generateTotp(TOTP_SECRET);
    errors.push(
      await catchError(() => session.provide2FA(code === "000000" ? "111111" : "000000")),
    );
    await session.provide2FA(generateTotp(TOTP_SECRET));

    api.control.expireAccessTokens(user.username);
    await session.apiRequest("/core/v4/users");
    api.control.injectFault({
      route: "GET /core/v4/users",
      kind: "status",
      status: 503,
      retryAfter: "0",
      times: 1,
    });
    await session.apiRequest("/core/v4/users");
    api.control.injectFault({
      route: "POST /auth/v4/refresh",
      kind: "status",
      status: 500,
      times: 1,
    });
    errors.push(await catchError(() => session.refresh()));
    api.control.injectFault({ route: "GET /core/v4/users", kind: "html", status: 502 });
    errors.push(await catchError(() => session.apiRequest("/core/v4/users")));
    api.control.clearFaults();

    await session.authenticate(user.username, password);
    await session.provide2FA(generateTotp(TOTP_SECRET));
    api.control.revokeSessions(user.username);
    errors.push(await catchError(() => session.apiRequest("/core/v4/users")));

    await session.authenticate(user.username, password);
    await session.logout();

    for (const change of created.changes) {
      tokens.push(change.accessToken ?? "", change.refreshToken ?? "");
    }
    await created.close();
  });

  it("ran the whole scenario", () => {
    expect(errors).toHaveLength(5);
    expect(errors.every((error) => ProtonError.isInstance(error))).toBe(true);
    expect(created.logger.withMessage("Refreshed the tokens").length).toBeGreaterThan(0);
    expect(created.logger.withMessage("Retrying request").length).toBeGreaterThan(0);
    expect(secretsSent().length).toBeGreaterThan(10);
  });

  it("keeps secrets out of log lines", () => {
    const lines = created.logger.lines().join("\n");
    for (const secret of [password, TOTP_SECRET, ...tokens.filter(Boolean), ...secretsSent()]) {
      expect(lines).not.toContain(secret);
    }
  });

  it("keeps secrets out of errors", () => {
    const rendered = errors.map(renderError).join("\n");
    for (const secret of [password, TOTP_SECRET, ...tokens.filter(Boolean), ...secretsSent()]) {
      expect(rendered).not.toContain(secret);
    }
  });

  it("keeps tokens out of the session's own output", async () => {
    const user = await addUser(api);
    const session = createTestSession(api);
    await session.session.authenticate(user.username, user.password);
    const rendered = `${JSON.stringify(session.session)} ${inspect(session.session)}`;
    await session.close();

    expect(rendered).toContain(session.session.uid);
    expect(rendered).not.toContain(session.session.accessToken);
    expect(rendered).not.toContain(session.session.refreshToken);
  });

  it("keeps secrets out of the fake API log", () => {
    const lines = serverLog.join("\n");
    expect(serverLog.length).toBeGreaterThan(0);
    for (const secret of [password, ...tokens.filter(Boolean)]) {
      expect(lines).not.toContain(secret);
    }
  });
});
