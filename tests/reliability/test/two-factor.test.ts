import {
  InvalidCredentialsError,
  MissingScopeError,
  UnsupportedSecondFactorError,
} from "@proton/api";
import { type FakeApi, generateTotp, startFakeApi } from "@proton/fake-api";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  addUser,
  catchError,
  createClient,
  expectNoTokenLogged,
  type TestClient,
} from "./helpers/client.js";

/** Base32 TOTP secret of the test users; it decodes to "Hello!" and 0xDEADBEEF. */
const TOTP_SECRET = "JBSWY3DPEHPK3PXP";
/** Length of a TOTP time step, in milliseconds (RFC 6238 default). */
const TOTP_STEP_MS = 30_000;

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

async function client(): Promise<TestClient> {
  const created = await createClient(api);
  clients.push(created);
  return created;
}

function routes(): string[] {
  return api.control.requestLog().map((entry) => entry.route);
}

describe("2FA bitmask", () => {
  test("TOTP only (1) needs a code first", async () => {
    const user = await addUser(api, { totpSecret: TOTP_SECRET });
    const tested = await client();

    const result = await tested.session.authenticate(user.username, user.password);

    expect(result.twoFactor).toEqual({ enabled: 1, required: true, totp: true, fido2: false });
    expect(result.scopes).toEqual(["twofactor"]);
    expect(routes()).toEqual(["POST /auth/v4/info", "POST /auth/v4"]);
  });

  test("TOTP only (1) gets full scope", async () => {
    const user = await addUser(api, { totpSecret: TOTP_SECRET });
    const tested = await client();
    await tested.session.authenticate(user.username, user.password);

    const scopes = await tested.session.provide2FA(generateTotp(TOTP_SECRET));

    expect(scopes).toContain("full");
    expect(tested.dumpFile.reasons()).toEqual(["login", "2fa"]);
    const stored = await tested.dumpFile.read();
    expect(stored.session_data.Scope).toContain("full");
    expect(stored.session_data.AccessToken).toBe(tested.session.accessToken);
    const users = await tested.session.apiRequest("/core/v4/users");
    expect(users.Code).toBe(1000);
  });

  test("TOTP and security key (3) accept TOTP", async () => {
    const user = await addUser(api, { totpSecret: TOTP_SECRET, securityKey: true });
    const tested = await client();

    const result = await tested.session.authenticate(user.username, user.password);
    const scopes = await tested.session.provide2FA(generateTotp(TOTP_SECRET));

    expect(result.twoFactor).toEqual({ enabled: 3, required: true, totp: true, fido2: true });
    expect(scopes).toContain("full");
    expect(tested.dumpFile.reasons()).toEqual(["login", "2fa"]);
  });

  test("no 2FA (0) needs nothing", async () => {
    const user = await addUser(api);
    const tested = await client();

    const result = await tested.session.authenticate(user.username, user.password);

    expect(result.twoFactor.required).toBe(false);
    expect(result.scopes).toContain("full");
  });

  test("security key only (2) rejects TOTP codes", async () => {
    const user = await addUser(api, { securityKey: true });
    const tested = await client();

    const result = await tested.session.authenticate(user.username, user.password);
    const error = await catchError(() => tested.session.provide2FA("123456"));

    expect(result.twoFactor).toEqual({ enabled: 2, required: true, totp: false, fido2: true });
    expect(UnsupportedSecondFactorError.isInstance(error)).toBe(true);
    expect(MissingScopeError.isInstance(error)).toBe(false);
    expect((error as Error).message).toMatch(/security key/i);
    expect((error as Error).message).toMatch(/not support/i);
    expect(routes()).toEqual(["POST /auth/v4/info", "POST /auth/v4"]);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
  });
});

describe("2FA security key only", () => {
  test("request after login is not a bare 403", async () => {
    const user = await addUser(api, { securityKey: true });
    const tested = await client();

    const error = await catchError(async () => {
      await tested.session.authenticate(user.username, user.password);
      await tested.session.apiRequest("/core/v4/users");
    });

    expect(UnsupportedSecondFactorError.isInstance(error)).toBe(true);
    expect(MissingScopeError.isInstance(error)).toBe(false);
  });
});

describe("2FA code", () => {
  test("stale code is InvalidCredentialsError", async () => {
    const user = await addUser(api, { totpSecret: TOTP_SECRET });
    const tested = await client();
    await tested.session.authenticate(user.username, user.password);
    const loginDump = await tested.dumpFile.readText();

    const staleCode = generateTotp(TOTP_SECRET, Date.now() - 10 * TOTP_STEP_MS);
    const error = await catchError(() => tested.session.provide2FA(staleCode));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect((error as InvalidCredentialsError).code).toBe(8002);
    expect(JSON.stringify(error)).not.toContain(staleCode);
    expect(tested.session.isAuthenticated).toBe(true);
    expect(tested.session.scopes).toEqual(["twofactor"]);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
    expect(await tested.dumpFile.readText()).toBe(loginDump);
  });

  test("fresh code works after a stale one", async () => {
    const user = await addUser(api, { totpSecret: TOTP_SECRET });
    const tested = await client();
    await tested.session.authenticate(user.username, user.password);
    await catchError(() =>
      tested.session.provide2FA(generateTotp(TOTP_SECRET, Date.now() - 10 * TOTP_STEP_MS)),
    );

    const scopes = await tested.session.provide2FA(generateTotp(TOTP_SECRET));

    expect(scopes).toContain("full");
    expect(tested.dumpFile.reasons()).toEqual(["login", "2fa"]);
  });

  test("code after the access token expired", async () => {
    const user = await addUser(api, { totpSecret: TOTP_SECRET });
    const tested = await client();
    await tested.session.authenticate(user.username, user.password);
    api.control.expireAccessTokens(user.username);
    api.control.clearRequestLog();

    const scopes = await tested.session.provide2FA(generateTotp(TOTP_SECRET));

    expect(scopes).toContain("full");
    expect(routes()).toEqual(["POST /auth/v4/2fa", "POST /auth/v4/refresh", "POST /auth/v4/2fa"]);
    expect(tested.dumpFile.reasons()).toEqual(["login", "refresh", "2fa"]);
    const stored = await tested.dumpFile.read();
    expect(stored.session_data.Scope).toContain("full");
    expect(stored.session_data.RefreshToken).toBe(tested.session.refreshToken);
  });

  test("request before the code is MissingScopeError", async () => {
    const user = await addUser(api, { totpSecret: TOTP_SECRET });
    const tested = await client();
    await tested.session.authenticate(user.username, user.password);

    const error = await catchError(() => tested.session.apiRequest("/core/v4/users"));

    expect(MissingScopeError.isInstance(error)).toBe(true);
    expect(tested.session.isAuthenticated).toBe(true);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
  });
});
