import { type FakeApi, startFakeApi } from "@proton/fake-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as browser from "../src/browser.js";

const USER = {
  username: "browser-user",
  password: "browser-password",
  totpSecret: "JBSWY3DPEHPK3PXP",
};

let fake: FakeApi;

beforeAll(async () => {
  // fetch cannot trust a custom CA, so the browser build talks to the fake API over plain HTTP.
  fake = await startFakeApi({ http: true, users: [USER] });
});

afterAll(async () => {
  await fake.close();
});

function options(extra: Partial<browser.ApiSessionOptions> = {}): browser.ApiSessionOptions {
  return { apiUrl: fake.url, appVersion: "Other", userAgent: "facade-tests", ...extra };
}

describe("Session in browsers", () => {
  it("logs in over fetch", async () => {
    const session = new browser.Session(options());

    const result = await session.authenticate(USER.username, USER.password);
    await session.provide2FA(browser.generateTotp(USER.totpSecret));
    const users = await session.apiRequest("/core/v4/users");
    await session.logout();

    expect(result.twoFactor.totp).toBe(true);
    expect(users.Code).toBe(1000);
  });

  it("uses the fetch option", async () => {
    const urls: string[] = [];
    const session = new browser.Session(
      options({
        fetch: (input, init) => {
          urls.push(input instanceof Request ? input.url : String(input));
          return fetch(input, init);
        },
      }),
    );

    await session.apiRequest("/tests/ping");

    expect(urls).toEqual([`${fake.url}/tests/ping`]);
  });

  it("refreshes over fetch", async () => {
    const session = new browser.Session(options());
    await session.authenticate(USER.username, USER.password);
    await session.provide2FA(browser.generateTotp(USER.totpSecret));
    fake.control.expireAccessTokens(USER.username);
    fake.control.clearRequestLog();

    await Promise.all([session.apiRequest("/core/v4/users"), session.apiRequest("/core/v4/users")]);

    const refreshes = fake.control
      .requestLog()
      .filter((entry) => entry.route === "POST /auth/v4/refresh");
    expect(refreshes).toHaveLength(1);
  });

  it.each([{ pins: ["x"] }, { ca: "pem" }, { proxy: "http://127.0.0.1:1" }])(
    "rejects the Node.js-only option %o",
    (extra) => {
      expect(() => new browser.Session(options(extra))).toThrow(/need Node\.js/);
    },
  );
});
