import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, generateTotp, startFakeApi } from "../src/index.js";
import { decodeBase32, verifyTotp } from "../src/totp.js";
import { RFC6238_SECRET_BASE32, RFC6238_SHA1_VECTORS } from "./fixtures/rfc6238-totp.js";
import { call, login } from "./helpers/api-client.js";

const TOTP_SECRET = "JBSWY3DPEHPK3PXP";

let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({
    users: [
      { username: "totp", password: "totp-password", totpSecret: TOTP_SECRET },
      { username: "key", password: "key-password", securityKey: true },
      {
        username: "both",
        password: "both-password",
        totpSecret: TOTP_SECRET,
        securityKey: true,
        authVersion: 3,
      },
    ],
  });
});

afterAll(async () => {
  await api.close();
});

describe("generateTotp", () => {
  it.each(RFC6238_SHA1_VECTORS)("matches RFC 6238 at $timeSeconds s", ({ timeSeconds, code8 }) => {
    expect(generateTotp(RFC6238_SECRET_BASE32, timeSeconds * 1000)).toBe(code8.slice(2));
  });

  it("ignores case, spaces and padding in the secret", () => {
    expect(generateTotp("gezd gnbv gy3t qojq gezd gnbv gy3t qojq====", 59_000)).toBe("287082");
  });

  it("rejects a secret with a non-base32 character", () => {
    expect(() => decodeBase32("ABC1")).toThrow(/"1" is not a base32 character/);
  });
});

describe("verifyTotp", () => {
  const now = 1_700_000_000_000;

  it("accepts the previous, current and next window", () => {
    for (const offset of [-30_000, 0, 30_000]) {
      expect(verifyTotp(TOTP_SECRET, generateTotp(TOTP_SECRET, now + offset), now)).toBe(true);
    }
  });

  it("rejects codes two windows away", () => {
    for (const offset of [-60_000, 60_000]) {
      expect(verifyTotp(TOTP_SECRET, generateTotp(TOTP_SECRET, now + offset), now)).toBe(false);
    }
  });

  it("rejects codes that are not six digits", () => {
    expect(verifyTotp(TOTP_SECRET, "12345", now)).toBe(false);
    expect(verifyTotp(TOTP_SECRET, "abcdef", now)).toBe(false);
  });
});

describe("two-factor login", () => {
  it("reports the 2FA bitmask in info and login", async () => {
    for (const [username, mask] of [
      ["totp", 1],
      ["key", 2],
      ["both", 3],
    ] as const) {
      const info = await call(api, "POST", "/auth/v4/info", { body: { Username: username } });
      const session = await login(api, username, `${username}-password`);

      expect(info.body["2FA"]).toMatchObject({ Enabled: mask });
      expect(session.response.body["2FA"]).toMatchObject({ Enabled: mask, TOTP: mask & 1 });
    }
  });

  it("lists the enrolled security key", async () => {
    const session = await login(api, "key", "key-password");
    const fido2 = (session.response.body["2FA"] as Record<string, Record<string, unknown>>)[
      "FIDO2"
    ];

    expect(fido2?.["RegisteredKeys"]).toHaveLength(1);
    expect(fido2?.["AuthenticationOptions"]).toHaveProperty("publicKey.challenge");
  });

  it("grants only the twofactor scope until the code passes", async () => {
    const session = await login(api, "totp", "totp-password");

    expect(session.response.body["Scope"]).toBe("twofactor");
    expect(session.response.body["Scopes"]).toEqual(["twofactor"]);

    const users = await call(api, "GET", "/core/v4/users", { headers: session.auth });
    expect(users.status).toBe(403);
    expect(users.body["Code"]).toBe(403);
  });

  it("lifts the scope after a correct code", async () => {
    const session = await login(api, "totp", "totp-password");
    const answer = await call(api, "POST", "/auth/v4/2fa", {
      headers: session.auth,
      body: { TwoFactorCode: generateTotp(TOTP_SECRET) },
    });

    expect(answer.status).toBe(200);
    expect(answer.body["Code"]).toBe(1000);
    expect(answer.body["Scopes"]).toContain("full");
    expect(answer.body["Scope"]).toBe((answer.body["Scopes"] as string[]).join(" "));

    const users = await call(api, "GET", "/core/v4/users", { headers: session.auth });
    expect(users.status).toBe(200);
  });

  it("accepts the code on the legacy /auth/2fa route", async () => {
    const session = await login(api, "both", "both-password");
    const answer = await call(api, "POST", "/auth/2fa", {
      headers: session.auth,
      body: { TwoFactorCode: generateTotp(TOTP_SECRET) },
    });

    expect(answer.status).toBe(200);
    expect(answer.body["Scopes"]).toContain("full");
  });

  it("rejects a wrong code with 422 and 8002", async () => {
    const session = await login(api, "totp", "totp-password");
    const code = generateTotp(TOTP_SECRET);
    const wrong = code === "000000" ? "111111" : "000000";
    const answer = await call(api, "POST", "/auth/v4/2fa", {
      headers: session.auth,
      body: { TwoFactorCode: wrong },
    });

    expect(answer.status).toBe(422);
    expect(answer.body["Code"]).toBe(8002);
  });

  it("rejects a security-key-only session without a TOTP code", async () => {
    const session = await login(api, "key", "key-password");
    const answer = await call(api, "POST", "/auth/v4/2fa", {
      headers: session.auth,
      body: { FIDO2: { AuthenticationOptions: {} } },
    });

    expect(answer.status).toBe(422);
    expect(answer.body["Code"]).toBe(2001);
  });

  it("requires an access token", async () => {
    const answer = await call(api, "POST", "/auth/v4/2fa", { body: { TwoFactorCode: "123456" } });

    expect(answer.status).toBe(401);
  });

  it("rejects 2FA on a session that already has full scope", async () => {
    const session = await login(api, "totp", "totp-password");
    const code = generateTotp(TOTP_SECRET);
    await call(api, "POST", "/auth/v4/2fa", {
      headers: session.auth,
      body: { TwoFactorCode: code },
    });
    const again = await call(api, "POST", "/auth/v4/2fa", {
      headers: session.auth,
      body: { TwoFactorCode: code },
    });

    expect(again.status).toBe(422);
    expect(again.body["Code"]).toBe(2001);
  });

  it("lets a twofactor-scoped session refresh and log out", async () => {
    const session = await login(api, "totp", "totp-password");
    const refreshed = await call(api, "POST", "/auth/v4/refresh", {
      headers: { "x-pm-uid": session.uid },
      body: { RefreshToken: session.refreshToken, GrantType: "refresh_token" },
    });

    expect(refreshed.status).toBe(200);
    expect(refreshed.body["Scopes"]).toEqual(["twofactor"]);

    const logout = await call(api, "DELETE", "/auth/v4", {
      headers: {
        authorization: `Bearer ${refreshed.body["AccessToken"]}`,
        "x-pm-uid": session.uid,
      },
    });
    expect(logout.status).toBe(200);
  });
});
