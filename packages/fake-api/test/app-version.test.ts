import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../src/index.js";
import { call } from "./helpers/api-client.js";

let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({ appVersionRule: (version) => version !== "web-mail@1.0.0" });
});

afterAll(async () => {
  await api.close();
});

describe("x-pm-appversion", () => {
  it("answers 5001 when missing", async () => {
    const answer = await call(api, "GET", "/tests/ping", { noAppVersion: true });

    expect(answer.status).toBe(400);
    expect(answer.body["Code"]).toBe(5001);
    expect(answer.body["Error"]).toContain("x-pm-appversion");
  });

  it("answers 5001 when empty", async () => {
    const answer = await call(api, "GET", "/tests/ping", { headers: { "x-pm-appversion": " " } });

    expect(answer.body["Code"]).toBe(5001);
  });

  it("answers 5003 when the rule rejects it", async () => {
    const answer = await call(api, "POST", "/auth/v4/info", {
      headers: { "x-pm-appversion": "web-mail@1.0.0" },
      body: { Username: "anyone" },
    });

    expect(answer.status).toBe(400);
    expect(answer.body["Code"]).toBe(5003);
  });

  it("passes a value the rule accepts", async () => {
    const answer = await call(api, "GET", "/tests/ping", {
      headers: { "x-pm-appversion": "web-mail@5.0.0" },
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ Code: 1000 });
  });

  it("accepts any non-empty value by default", async () => {
    const open = await startFakeApi({ http: true });
    try {
      const answer = await call(open, "GET", "/tests/ping", {
        headers: { "x-pm-appversion": "x" },
      });
      expect(answer.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
