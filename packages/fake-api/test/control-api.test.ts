import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../src/index.js";
import { call, controlCall, login } from "./helpers/api-client.js";

let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({ users: [{ username: "cora", password: "cora-password" }] });
});

afterAll(async () => {
  await api.close();
});

describe("control API over HTTP", () => {
  it("listens on its own port", () => {
    expect(new URL(api.controlUrl).port).not.toBe(new URL(api.url).port);
    expect(api.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("lists its endpoints", async () => {
    const answer = await controlCall(api, "GET", "/");

    expect(answer.status).toBe(200);
    expect(answer.body["endpoints"]).toEqual(
      expect.arrayContaining([expect.stringContaining("/faults")]),
    );
  });

  it("adds a user who can log in", async () => {
    const added = await controlCall(api, "POST", "/users", {
      username: "newbie",
      password: "newbie-password",
      authVersion: 3,
    });

    expect(added.status).toBe(201);
    expect((await login(api, "newbie", "newbie-password")).response.status).toBe(200);
  });

  it("rejects an invalid user with the field", async () => {
    const answer = await controlCall(api, "POST", "/users", { username: "x", password: "" });

    expect(answer.status).toBe(400);
    expect(answer.body["field"]).toBe("user.password");
  });

  it("rejects a taken username", async () => {
    const answer = await controlCall(api, "POST", "/users", { username: "CORA", password: "p" });

    expect(answer.status).toBe(400);
    expect(answer.body["error"]).toContain("already exists");
  });

  it("injects and clears a fault", async () => {
    const injected = await controlCall(api, "POST", "/faults", {
      route: "GET /tests/ping",
      kind: "status",
      status: 502,
    });
    expect(injected.status).toBe(201);
    expect((await call(api, "GET", "/tests/ping")).status).toBe(502);

    const cleared = await controlCall(api, "DELETE", `/faults/${injected.body["id"]}`);
    expect(cleared.status).toBe(200);
    expect((await call(api, "GET", "/tests/ping")).status).toBe(200);
  });

  it("clears every fault", async () => {
    await controlCall(api, "POST", "/faults", { route: "*", kind: "status" });
    await controlCall(api, "DELETE", "/faults");

    expect((await call(api, "GET", "/tests/ping")).status).toBe(200);
  });

  it("rejects an invalid fault", async () => {
    const answer = await controlCall(api, "POST", "/faults", { route: "GET /x", kind: "boom" });

    expect(answer.status).toBe(400);
    expect(answer.body["field"]).toBe("fault.kind");
  });

  it("expires access tokens and revokes sessions", async () => {
    const session = await login(api, "cora", "cora-password");

    expect(
      (await controlCall(api, "POST", "/expire-access-tokens", { username: "cora" })).status,
    ).toBe(200);
    expect((await call(api, "GET", "/core/v4/users", { headers: session.auth })).status).toBe(401);

    expect((await controlCall(api, "POST", "/revoke-sessions", {})).status).toBe(200);
    const refreshed = await call(api, "POST", "/auth/v4/refresh", {
      headers: { "x-pm-uid": session.uid },
      body: { RefreshToken: session.refreshToken },
    });
    expect(refreshed.body["Code"]).toBe(10013);
  });

  it("returns and clears the request log", async () => {
    await call(api, "GET", "/tests/ping");
    const log = await controlCall(api, "GET", "/requests");
    const entries = log.body["entries"] as { route: string }[];

    expect(log.status).toBe(200);
    expect(entries.at(-1)?.route).toBe("GET /tests/ping");

    await controlCall(api, "DELETE", "/requests");
    expect((await controlCall(api, "GET", "/requests")).body["entries"]).toEqual([]);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const response = await fetch(new URL("/faults", api.controlUrl), { method: "POST", body: "{" });

    expect(response.status).toBe(400);
  });

  it("answers 404 for an unknown endpoint", async () => {
    expect((await controlCall(api, "POST", "/nothing", {})).status).toBe(404);
  });
});
