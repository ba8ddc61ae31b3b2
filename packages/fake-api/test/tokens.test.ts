import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../src/index.js";
import { call, type LoggedIn, login } from "./helpers/api-client.js";

const USERS = [
  { username: "tess", password: "tess-password" },
  { username: "uma", password: "uma-password" },
];

let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({ users: USERS });
});

afterAll(async () => {
  await api.close();
});

beforeEach(() => {
  api.control.clearRequestLog();
});

function refresh(session: Pick<LoggedIn, "uid" | "refreshToken">, where: "header" | "body") {
  return call(api, "POST", "/auth/v4/refresh", {
    ...(where === "header" ? { headers: { "x-pm-uid": session.uid } } : {}),
    body: {
      ...(where === "body" ? { UID: session.uid } : {}),
      RefreshToken: session.refreshToken,
      ResponseType: "token",
      GrantType: "refresh_token",
      RedirectURI: "https://protonmail.ch",
      State: "random-state",
    },
  });
}

describe("access tokens", () => {
  it("are random and distinct per session", async () => {
    const first = await login(api, "tess", "tess-password");
    const second = await login(api, "tess", "tess-password");

    expect(first.accessToken).toMatch(/^[a-z2-7]{32}$/);
    expect(first.accessToken).not.toBe(second.accessToken);
    expect(first.uid).not.toBe(second.uid);
  });

  it("authorise core routes", async () => {
    const session = await login(api, "tess", "tess-password");
    const users = await call(api, "GET", "/core/v4/users", { headers: session.auth });

    expect(users.status).toBe(200);
    expect(users.body["User"]).toMatchObject({ Name: "tess", Email: "tess@proton.me" });
    expect(api.control.requestLog().at(-1)).toMatchObject({
      route: "GET /core/v4/users",
      status: 200,
      code: 1000,
      uid: session.uid,
      token: "access",
    });
  });

  it("answer 401 without a token", async () => {
    const users = await call(api, "GET", "/core/v4/users");

    expect(users.status).toBe(401);
    expect(users.body["Code"]).toBe(401);
    expect(api.control.requestLog().at(-1)?.token).toBe("none");
  });

  it("answer 401 for an unknown token", async () => {
    const session = await login(api, "tess", "tess-password");
    const users = await call(api, "GET", "/core/v4/users", {
      headers: { ...session.auth, authorization: "Bearer notatoken" },
    });

    expect(users.status).toBe(401);
    expect(api.control.requestLog().at(-1)?.token).toBe("invalid");
  });

  it("answer 401 for a token of another UID", async () => {
    const first = await login(api, "tess", "tess-password");
    const second = await login(api, "uma", "uma-password");
    const users = await call(api, "GET", "/core/v4/users", {
      headers: { ...first.auth, "x-pm-uid": second.uid },
    });

    expect(users.status).toBe(401);
  });

  it("answer 401 without x-pm-uid", async () => {
    const session = await login(api, "tess", "tess-password");
    const users = await call(api, "GET", "/core/v4/users", {
      headers: { authorization: session.auth["authorization"] ?? "" },
    });

    expect(users.status).toBe(401);
  });

  it("expire after the configured lifetime", async () => {
    const shortLived = await startFakeApi({
      users: [{ username: "tess", password: "tess-password" }],
      tokenLifetimeSeconds: 2,
    });
    try {
      const session = await login(shortLived, "tess", "tess-password");
      expect(session.response.body["ExpiresIn"]).toBe(2);
      expect(
        (await call(shortLived, "GET", "/core/v4/users", { headers: session.auth })).status,
      ).toBe(200);

      await sleep(2_100);
      const expired = await call(shortLived, "GET", "/core/v4/users", { headers: session.auth });
      expect(expired.status).toBe(401);
      expect(shortLived.control.requestLog().at(-1)?.token).toBe("expired");

      const refreshed = await call(shortLived, "POST", "/auth/v4/refresh", {
        headers: { "x-pm-uid": session.uid },
        body: { RefreshToken: session.refreshToken },
      });
      expect(refreshed.status).toBe(200);
    } finally {
      await shortLived.close();
    }
  });

  it("expire on control for one user only", async () => {
    const tess = await login(api, "tess", "tess-password");
    const uma = await login(api, "uma", "uma-password");

    api.control.expireAccessTokens("tess");

    expect((await call(api, "GET", "/core/v4/users", { headers: tess.auth })).status).toBe(401);
    expect(api.control.requestLog().at(-1)?.token).toBe("expired");
    expect((await call(api, "GET", "/core/v4/users", { headers: uma.auth })).status).toBe(200);
    expect((await refresh(tess, "header")).status).toBe(200);
  });

  it("expire on control for every user", async () => {
    const tess = await login(api, "tess", "tess-password");
    const uma = await login(api, "uma", "uma-password");

    api.control.expireAccessTokens();

    expect((await call(api, "GET", "/core/v4/users", { headers: tess.auth })).status).toBe(401);
    expect((await call(api, "GET", "/core/v4/users", { headers: uma.auth })).status).toBe(401);
  });

  it("reject an unknown username on control", () => {
    expect(() => api.control.expireAccessTokens("nobody")).toThrow(/no user named "nobody"/);
  });
});

describe("POST /auth/v4/refresh", () => {
  it("rotates both tokens with the UID in the header", async () => {
    const session = await login(api, "tess", "tess-password");
    const answer = await refresh(session, "header");

    expect(answer.status).toBe(200);
    expect(answer.body["Code"]).toBe(1000);
    expect(answer.body["UID"]).toBe(session.uid);
    expect(answer.body["AccessToken"]).not.toBe(session.accessToken);
    expect(answer.body["RefreshToken"]).not.toBe(session.refreshToken);
    expect(answer.body["TokenType"]).toBe("Bearer");
    expect(answer.body["Scopes"]).toContain("full");
    expect(answer.body["Scope"]).toBe((answer.body["Scopes"] as string[]).join(" "));
    expect(api.control.requestLog().at(-1)).toMatchObject({ token: "refresh", uid: session.uid });
  });

  it("accepts the UID in the body", async () => {
    const session = await login(api, "tess", "tess-password");
    const answer = await refresh(session, "body");

    expect(answer.status).toBe(200);
  });

  it("accepts the legacy /auth/refresh route", async () => {
    const session = await login(api, "tess", "tess-password");
    const answer = await call(api, "POST", "/auth/refresh", {
      headers: { "x-pm-uid": session.uid },
      body: {
        RefreshToken: session.refreshToken,
        ResponseType: "token",
        GrantType: "refresh_token",
      },
    });

    expect(answer.status).toBe(200);
    expect(api.control.requestLog().at(-1)?.route).toBe("POST /auth/v4/refresh");
  });

  it("makes the old tokens unusable", async () => {
    const session = await login(api, "tess", "tess-password");
    await refresh(session, "header");

    const reused = await refresh(session, "header");
    expect(reused.status).toBe(422);
    expect(reused.body["Code"]).toBe(10013);
    expect(api.control.requestLog().at(-1)?.token).toBe("invalid");

    const oldAccess = await call(api, "GET", "/core/v4/users", { headers: session.auth });
    expect(oldAccess.status).toBe(401);
  });

  it("lets the new tokens work", async () => {
    const session = await login(api, "tess", "tess-password");
    const answer = await refresh(session, "header");
    const next = {
      uid: session.uid,
      refreshToken: String(answer.body["RefreshToken"]),
    };
    const users = await call(api, "GET", "/core/v4/users", {
      headers: { authorization: `Bearer ${answer.body["AccessToken"]}`, "x-pm-uid": session.uid },
    });

    expect(users.status).toBe(200);
    expect((await refresh(next, "header")).status).toBe(200);
  });

  it("answers 10013 for an unknown UID", async () => {
    const answer = await refresh({ uid: "unknownuid", refreshToken: "whatever" }, "header");

    expect(answer.status).toBe(422);
    expect(answer.body["Code"]).toBe(10013);
  });

  it("answers 2001 without a refresh token", async () => {
    const answer = await call(api, "POST", "/auth/v4/refresh", {
      headers: { "x-pm-uid": "someuid" },
      body: {},
    });

    expect(answer.status).toBe(422);
    expect(answer.body["Code"]).toBe(2001);
  });

  it("answers 2001 without a UID", async () => {
    const session = await login(api, "tess", "tess-password");
    const answer = await call(api, "POST", "/auth/v4/refresh", {
      body: { RefreshToken: session.refreshToken },
    });

    expect(answer.status).toBe(422);
    expect(answer.body["Code"]).toBe(2001);
  });

  it("answers 2001 for another grant type", async () => {
    const session = await login(api, "tess", "tess-password");
    const answer = await call(api, "POST", "/auth/v4/refresh", {
      headers: { "x-pm-uid": session.uid },
      body: { RefreshToken: session.refreshToken, GrantType: "password" },
    });

    expect(answer.status).toBe(422);
    expect(answer.body["Code"]).toBe(2001);
  });
});

describe("DELETE /auth/v4", () => {
  it("revokes the session", async () => {
    const session = await login(api, "tess", "tess-password");
    const logout = await call(api, "DELETE", "/auth/v4", { headers: session.auth });

    expect(logout.status).toBe(200);
    expect(logout.body["Code"]).toBe(1000);
    expect((await call(api, "GET", "/core/v4/users", { headers: session.auth })).status).toBe(401);
    expect((await refresh(session, "header")).body["Code"]).toBe(10013);
  });

  it("answers 401 for a session already gone", async () => {
    const session = await login(api, "tess", "tess-password");
    await call(api, "DELETE", "/auth/v4", { headers: session.auth });
    const again = await call(api, "DELETE", "/auth", { headers: session.auth });

    expect(again.status).toBe(401);
    expect(api.control.requestLog().at(-1)?.route).toBe("DELETE /auth/v4");
  });
});

describe("revokeSessions", () => {
  it("ends the sessions of one user", async () => {
    const tess = await login(api, "tess", "tess-password");
    const uma = await login(api, "uma", "uma-password");

    api.control.revokeSessions("tess");

    expect((await call(api, "GET", "/core/v4/users", { headers: tess.auth })).status).toBe(401);
    expect((await refresh(tess, "header")).body["Code"]).toBe(10013);
    expect((await call(api, "GET", "/core/v4/users", { headers: uma.auth })).status).toBe(200);
  });

  it("ends every session", async () => {
    const tess = await login(api, "tess", "tess-password");
    const uma = await login(api, "uma", "uma-password");

    api.control.revokeSessions();

    expect((await refresh(tess, "header")).body["Code"]).toBe(10013);
    expect((await refresh(uma, "header")).body["Code"]).toBe(10013);
  });
});
