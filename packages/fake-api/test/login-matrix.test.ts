import { getAuthVersionWithFallback } from "@proton/srp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, type FakeUserInput, generateTotp, startFakeApi } from "../src/index.js";
import { call, type LoggedIn, login } from "./helpers/api-client.js";

const TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const VERSIONS = [0, 1, 2, 3, 4] as const;

const CASES = VERSIONS.flatMap((version) => [
  { version, twoFactor: false, username: `matrix-v${version}`, password: `pw-${version}` },
  { version, twoFactor: true, username: `matrix_v${version}.2fa`, password: `pw-2fa-${version}` },
]);

let api: FakeApi;

beforeAll(async () => {
  const users: FakeUserInput[] = CASES.map((entry) => ({
    username: entry.username,
    password: entry.password,
    authVersion: entry.version,
    ...(entry.twoFactor ? { totpSecret: TOTP_SECRET } : {}),
  }));
  api = await startFakeApi({ users });
});

afterAll(async () => {
  await api.close();
});

/** Logs in the way Proton's clients do, walking the version fallback when info returns Version 0. */
async function loginWithFallback(username: string, password: string): Promise<LoggedIn> {
  const info = await call(api, "POST", "/auth/v4/info", { body: { Username: username } });
  let attempt = getAuthVersionWithFallback({ Version: info.body["Version"] as number }, username);
  for (;;) {
    const session = await login(api, username, password, { authVersion: attempt.version });
    if (session.response.status === 200 || attempt.done) {
      return session;
    }
    attempt = getAuthVersionWithFallback({ Version: 0 }, username, attempt.version);
  }
}

describe("@proton/srp client login", () => {
  it.each(CASES)(
    "logs in auth version $version, 2FA $twoFactor",
    async ({ version, twoFactor, username, password }) => {
      const info = await call(api, "POST", "/auth/v4/info", { body: { Username: username } });
      expect(info.body["Version"]).toBe(version);

      const session = await loginWithFallback(username, password);
      expect(session.response.status).toBe(200);
      expect(session.response.body["2FA"]).toMatchObject({ Enabled: twoFactor ? 1 : 0 });

      if (twoFactor) {
        expect(session.response.body["Scopes"]).toEqual(["twofactor"]);
        const passed = await call(api, "POST", "/auth/v4/2fa", {
          headers: session.auth,
          body: { TwoFactorCode: generateTotp(TOTP_SECRET) },
        });
        expect(passed.status).toBe(200);
      }

      const users = await call(api, "GET", "/core/v4/users", { headers: session.auth });
      expect(users.status).toBe(200);
      expect(users.body["User"]).toMatchObject({ Name: username });
    },
  );

  it.each(CASES)("rejects a wrong password for $username", async ({ username }) => {
    const session = await loginWithFallback(username, "not-the-password");

    expect(session.response.status).toBe(422);
    expect(session.response.body["Code"]).toBe(8002);
  });
});
