import {
  HumanVerificationRequiredError,
  InvalidCredentialsError,
  InvalidVerificationTokenError,
  MissingScopeError,
} from "@proton/errors";
import type { FakeApi } from "@proton/fake-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateTotp, UnsupportedSecondFactorError } from "../src/index.js";
import {
  addUser,
  catchError,
  countRoute,
  createTestSession,
  startTestApi,
  type TestSession,
  uniqueUsername,
} from "./helpers.js";

let api: FakeApi;
const open: TestSession[] = [];

function newSession(): TestSession {
  const created = createTestSession(api);
  open.push(created);
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

describe("authenticate", () => {
  it.each([4, 3, 2, 1, 0] as const)("logs in with auth version %i", async (authVersion) => {
    // A dot and a dash make version 2's username cleaning differ from version 1's.
    const user = await addUser(api, { username: `${uniqueUsername("V")}.x`, authVersion });
    const { session } = newSession();

    const result = await session.authenticate(user.username, user.password);

    expect(result.scopes).toContain("full");
    expect(result.twoFactor.required).toBe(false);
    expect(session.uid).toBe(result.uid);
    expect(session.accessToken).toEqual(expect.any(String));
    expect(session.refreshToken).toEqual(expect.any(String));
    const users = await session.apiRequest("/core/v4/users");
    expect((users["User"] as { Name: string }).Name).toBe(user.username);
  });

  it("uses a known auth version directly", async () => {
    const user = await addUser(api, { username: `${uniqueUsername("V")}.x`, authVersion: 1 });
    const { session, logger } = newSession();
    api.control.clearRequestLog();

    const result = await session.authenticate(user.username, user.password);

    expect(result.authVersion).toBe(1);
    expect(countRoute(api, "POST /auth/v4")).toBe(1);
    expect(logger.withMessage("Login rejected; trying the next auth version")).toHaveLength(0);
  });

  it("tries versions 2, 1 and 0 for version 0", async () => {
    const user = await addUser(api, { username: `${uniqueUsername("V")}.x`, authVersion: 0 });
    const { session, logger } = newSession();
    api.control.clearRequestLog();

    const result = await session.authenticate(user.username, user.password);

    expect(result.authVersion).toBe(0);
    expect(countRoute(api, "POST /auth/v4/info")).toBe(3);
    expect(countRoute(api, "POST /auth/v4")).toBe(3);
    const fallbacks = logger.withMessage("Login rejected; trying the next auth version");
    expect(fallbacks.map((entry) => entry.fields?.["authVersion"])).toEqual([2, 1]);
  });

  it("rejects a wrong password without storing tokens", async () => {
    const user = await addUser(api);
    const { session, changes } = newSession();

    const error = await catchError(() => session.authenticate(user.username, "wrong"));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect(session.isAuthenticated).toBe(false);
    expect(session.uid).toBeUndefined();
    expect(changes).toEqual([]);
  });

  it("rejects a wrong password for version 0 after every attempt", async () => {
    const user = await addUser(api, { username: `${uniqueUsername("V")}.x`, authVersion: 0 });
    const { session } = newSession();
    api.control.clearRequestLog();

    const error = await catchError(() => session.authenticate(user.username, "wrong"));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect(countRoute(api, "POST /auth/v4")).toBe(3);
  });

  it("rejects an unknown user", async () => {
    const { session } = newSession();
    const error = await catchError(() => session.authenticate(uniqueUsername(), "password"));
    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
  });

  it("reads password mode 2", async () => {
    const user = await addUser(api, { passwordMode: 2 });
    const { session } = newSession();

    const result = await session.authenticate(user.username, user.password);

    expect(result.passwordMode).toBe(2);
    expect(session.passwordMode).toBe(2);
  });

  it("fires a login token change", async () => {
    const user = await addUser(api);
    const { session, changes } = newSession();

    await session.authenticate(user.username, user.password);

    expect(changes).toHaveLength(1);
    expect(changes[0]?.reason).toBe("login");
    expect(changes[0]?.uid).toBe(session.uid);
    expect(changes[0]?.accessToken).toBe(session.accessToken);
    expect(changes[0]?.dump.session_data.RefreshToken).toBe(session.refreshToken);
  });

  it("logs out a previous login after the new one", async () => {
    const first = await addUser(api);
    const second = await addUser(api);
    const { session, changes } = newSession();
    await session.authenticate(first.username, first.password);
    const firstUid = session.uid;
    api.control.clearRequestLog();

    await session.authenticate(second.username, second.password);

    expect(session.uid).not.toBe(firstUid);
    expect(changes.map((change) => change.reason)).toEqual(["login", "logout", "login"]);
    const routes = api.control.requestLog().map((entry) => entry.route);
    expect(routes.indexOf("DELETE /auth/v4")).toBeGreaterThan(routes.indexOf("POST /auth/v4"));
  });

  it("keeps the previous login on a wrong password", async () => {
    const first = await addUser(api);
    const second = await addUser(api);
    const { session, changes } = newSession();
    await session.authenticate(first.username, first.password);
    const before = { uid: session.uid, accessToken: session.accessToken };

    const error = await catchError(() => session.authenticate(second.username, "wrong"));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect(session.uid).toBe(before.uid);
    expect(session.accessToken).toBe(before.accessToken);
    expect(changes.map((change) => change.reason)).toEqual(["login"]);
    const users = await session.apiRequest("/core/v4/users");
    expect((users["User"] as { Name: string }).Name).toBe(first.username);
  });

  it("sends the client secret", async () => {
    const user = await addUser(api);
    const created = createTestSession(api, { clientSecret: "client-secret" });
    open.push(created);

    const result = await created.session.authenticate(user.username, user.password);

    expect(result.uid).toEqual(expect.any(String));
  });

  it.each([
    ["", "password", /Missing username/],
    ["name", undefined, /Missing password/],
  ])("rejects username %j with password %j", async (username, password, message) => {
    const { session } = newSession();
    await expect(session.authenticate(username, password as unknown as string)).rejects.toThrow(
      message,
    );
  });
});

describe("second factor", () => {
  const totpSecret = "JBSWY3DPEHPK3PXP";

  it("needs TOTP before the full scope", async () => {
    const user = await addUser(api, { totpSecret });
    const { session, changes } = newSession();

    const result = await session.authenticate(user.username, user.password);
    expect(result.twoFactor).toEqual({ enabled: 1, required: true, totp: true, fido2: false });
    expect(result.scopes).not.toContain("full");

    const error = await catchError(() => session.apiRequest("/core/v4/users"));
    expect(MissingScopeError.isInstance(error)).toBe(true);

    const scopes = await session.provide2FA(generateTotp(totpSecret));
    expect(scopes).toContain("full");
    expect(session.scopes).toContain("full");
    expect(changes.map((change) => change.reason)).toEqual(["login", "2fa"]);

    const users = await session.apiRequest("/core/v4/users");
    expect(users.Code).toBe(1000);
  });

  it("rejects a wrong code", async () => {
    const user = await addUser(api, { totpSecret });
    const { session } = newSession();
    await session.authenticate(user.username, user.password);
    const code = generateTotp(totpSecret);
    const wrong = code === "000000" ? "111111" : "000000";

    const error = await catchError(() => session.provide2FA(wrong));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect(session.scopes).not.toContain("full");
  });

  it("reads a security key", async () => {
    const user = await addUser(api, { securityKey: true });
    const { session } = newSession();
    const result = await session.authenticate(user.username, user.password);
    expect(result.twoFactor).toEqual({ enabled: 2, required: true, totp: false, fido2: true });
  });

  it("rejects a code for a security key only", async () => {
    const user = await addUser(api, { securityKey: true });
    const { session } = newSession();
    await session.authenticate(user.username, user.password);
    api.control.clearRequestLog();

    const error = await catchError(() => session.provide2FA("123456"));

    expect(UnsupportedSecondFactorError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/security key \(FIDO2\)/);
    expect(api.control.requestLog()).toEqual([]);
  });

  it("names the security key on a later 403", async () => {
    const user = await addUser(api, { securityKey: true });
    const { session } = newSession();
    await session.authenticate(user.username, user.password);

    const error = await catchError(() => session.apiRequest("/core/v4/users"));

    expect(UnsupportedSecondFactorError.isInstance(error)).toBe(true);
    expect(MissingScopeError.isInstance((error as Error).cause)).toBe(true);
    expect((error as Error).message).toMatch(/HTTP 403/);
  });

  it("keeps the 403 while TOTP is pending", async () => {
    const user = await addUser(api, { totpSecret, securityKey: true });
    const { session } = newSession();
    await session.authenticate(user.username, user.password);

    const error = await catchError(() => session.apiRequest("/core/v4/users"));

    expect(MissingScopeError.isInstance(error)).toBe(true);
  });

  it("reads TOTP and a security key", async () => {
    const user = await addUser(api, { totpSecret, securityKey: true });
    const { session } = newSession();
    const result = await session.authenticate(user.username, user.password);
    expect(result.twoFactor).toEqual({ enabled: 3, required: true, totp: true, fido2: true });
  });

  it("requires a login first", async () => {
    const { session } = newSession();
    await expect(session.provide2FA("123456")).rejects.toThrow(/not logged in/);
  });

  it("rejects an empty code", async () => {
    const { session } = newSession();
    await expect(session.provide2FA(" ")).rejects.toThrow(/Missing 2FA code/);
  });
});

describe("human verification", () => {
  it("retries the login with the solved token", async () => {
    const user = await addUser(api, { humanVerification: true });
    const { session } = newSession();

    const error = await catchError(() => session.authenticate(user.username, user.password));
    expect(HumanVerificationRequiredError.isInstance(error)).toBe(true);
    const { verification } = error as HumanVerificationRequiredError;
    expect(verification.token).not.toBe("");
    expect(verification.methods.length).toBeGreaterThan(0);
    expect(verification.webUrl).toMatch(/^http/);
    expect(session.isAuthenticated).toBe(false);

    api.control.solveHumanVerification(verification.token);
    session.setHumanVerificationToken({
      type: verification.methods[0] ?? "captcha",
      token: verification.token,
    });
    const result = await session.authenticate(user.username, user.password);

    expect(result.scopes).toContain("full");
  });

  it("keeps the solved token for the login", async () => {
    const user = await addUser(api, { humanVerification: true });
    const { session } = newSession();
    const error = await catchError(() => session.authenticate(user.username, user.password));
    const { verification } = error as HumanVerificationRequiredError;
    api.control.solveHumanVerification(verification.token);
    session.setHumanVerificationToken({ type: "captcha", token: verification.token });

    // The ping is sent while the login computes its SRP proofs, before the login request.
    const login = session.authenticate(user.username, user.password);
    const ping = await session.apiRequest("/tests/ping");
    const result = await login;

    expect(ping.Code).toBe(1000);
    expect(result.scopes).toContain("full");
  });

  it("rejects an unsolved token", async () => {
    const user = await addUser(api, { humanVerification: true });
    const { session } = newSession();
    const error = await catchError(() => session.authenticate(user.username, user.password));
    const { verification } = error as HumanVerificationRequiredError;

    session.setHumanVerificationToken({ type: "captcha", token: verification.token });
    const rejected = await catchError(() => session.authenticate(user.username, user.password));

    expect(InvalidVerificationTokenError.isInstance(rejected)).toBe(true);
  });

  it("uses the solved token only once", async () => {
    const user = await addUser(api, { humanVerification: true });
    const { session } = newSession();
    const error = await catchError(() => session.authenticate(user.username, user.password));
    const { verification } = error as HumanVerificationRequiredError;
    session.setHumanVerificationToken({ type: "captcha", token: verification.token });
    await catchError(() => session.authenticate(user.username, user.password));

    // Without the token the server requests a new verification (9001) instead of rejecting it
    // (12087).
    const again = await catchError(() => session.authenticate(user.username, user.password));

    expect(HumanVerificationRequiredError.isInstance(again)).toBe(true);
  });

  it.each([[undefined], [{ type: "", token: "t" }], [{ type: "captcha", token: "" }]])(
    "rejects %j",
    (solved) => {
      const { session } = newSession();
      expect(() =>
        session.setHumanVerificationToken(solved as unknown as { type: string; token: string }),
      ).toThrow(/Invalid human verification/);
    },
  );
});
