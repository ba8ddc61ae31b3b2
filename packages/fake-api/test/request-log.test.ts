import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, generateTotp, startFakeApi } from "../src/index.js";
import { call, controlCall, login } from "./helpers/api-client.js";

const PASSWORD = "correct horse battery staple";
const TOTP_SECRET = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ";

let api: FakeApi;
const lines: string[] = [];

beforeAll(async () => {
  api = await startFakeApi({
    users: [{ username: "lena", password: PASSWORD, totpSecret: TOTP_SECRET }],
    log: (line) => lines.push(line),
  });
});

afterAll(async () => {
  await api.close();
});

describe("request log", () => {
  it("records route, status, code, UID and token use", async () => {
    api.control.clearRequestLog();
    const session = await login(api, "lena", PASSWORD);
    await call(api, "POST", "/auth/v4/2fa", {
      headers: session.auth,
      body: { TwoFactorCode: generateTotp(TOTP_SECRET) },
    });
    await call(api, "POST", "/auth/v4/refresh", {
      headers: { "x-pm-uid": session.uid },
      body: { RefreshToken: session.refreshToken },
    });

    const entries = api.control.requestLog();
    expect(entries.map((entry) => entry.route)).toEqual([
      "POST /auth/v4/info",
      "POST /auth/v4",
      "POST /auth/v4/2fa",
      "POST /auth/v4/refresh",
    ]);
    expect(entries[1]).toMatchObject({ status: 200, code: 1000, uid: session.uid, token: "none" });
    expect(entries[2]).toMatchObject({
      token: "access",
      tokenId: createHash("sha256").update(session.accessToken).digest("hex").slice(0, 8),
    });
    expect(entries[3]).toMatchObject({
      token: "refresh",
      tokenId: createHash("sha256").update(session.refreshToken).digest("hex").slice(0, 8),
    });
    expect(entries.every((entry) => typeof entry.time === "number")).toBe(true);
  });

  it("returns a copy that later requests do not change", async () => {
    const before = api.control.requestLog();
    const length = before.length;
    await call(api, "GET", "/tests/ping");

    expect(before).toHaveLength(length);
    expect(Object.isFrozen(before)).toBe(true);
  });

  it("clears", async () => {
    await call(api, "GET", "/tests/ping");
    api.control.clearRequestLog();

    expect(api.control.requestLog()).toEqual([]);
  });

  it("writes one log line per request", async () => {
    lines.length = 0;
    await call(api, "GET", "/tests/ping");

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET \/tests\/ping 200 code=1000 token=none \d+ms$/);
  });

  it("never shows a password, token or TOTP secret", async () => {
    lines.length = 0;
    api.control.clearRequestLog();
    const session = await login(api, "lena", PASSWORD);
    const code = generateTotp(TOTP_SECRET);
    await call(api, "POST", "/auth/v4/2fa", {
      headers: session.auth,
      body: { TwoFactorCode: code },
    });
    const refreshed = await call(api, "POST", "/auth/v4/refresh", {
      headers: { "x-pm-uid": session.uid },
      body: { RefreshToken: session.refreshToken },
    });
    await call(api, "POST", "/auth/v4/refresh", {
      headers: { "x-pm-uid": session.uid },
      body: { RefreshToken: session.refreshToken },
    });
    await call(api, "DELETE", "/auth/v4", {
      headers: {
        "x-pm-uid": session.uid,
        authorization: `Bearer ${refreshed.body["AccessToken"]}`,
      },
    });
    const served = JSON.stringify((await controlCall(api, "GET", "/requests")).body);
    const everything = [...lines, JSON.stringify(api.control.requestLog()), served].join("\n");

    const secrets = [
      PASSWORD,
      TOTP_SECRET,
      session.accessToken,
      session.refreshToken,
      String(refreshed.body["AccessToken"]),
      String(refreshed.body["RefreshToken"]),
    ];
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
    }
    expect(lines.length).toBeGreaterThanOrEqual(6);
  });

  it("keeps a client-chosen UID on one line", async () => {
    lines.length = 0;
    await call(api, "POST", "/auth/v4/refresh", {
      body: { UID: "evil\nGET /forged 200", RefreshToken: "x" },
    });

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
  });
});
