import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../src/index.js";
import { call, controlCall, login } from "./helpers/api-client.js";

let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({
    users: [
      { username: "hv", password: "hv-password", humanVerification: true },
      { username: "other", password: "other-password", humanVerification: true },
    ],
  });
});

afterAll(async () => {
  await api.close();
});

function verificationHeaders(token: string, type = "captcha"): Record<string, string> {
  return { "x-pm-human-verification-token": token, "x-pm-human-verification-token-type": type };
}

/** Runs info and proofs once and returns a function that sends the same login request again. */
async function loginRequest(username: string, password: string) {
  const { getSrp } = await import("@proton/srp");
  const info = await call(api, "POST", "/auth/v4/info", { body: { Username: username } });
  const proofs = await getSrp(info.body as never, { username, password });
  const body = {
    Username: username,
    ClientEphemeral: proofs.clientEphemeral,
    ClientProof: proofs.clientProof,
    SRPSession: info.body["SRPSession"],
  };
  return (headers: Record<string, string> = {}) => call(api, "POST", "/auth/v4", { body, headers });
}

function details(body: Record<string, unknown>): Record<string, unknown> {
  return body["Details"] as Record<string, unknown>;
}

describe("human verification", () => {
  it("answers 9001 with a token, methods and a web URL", async () => {
    const session = await login(api, "hv", "hv-password");
    const answer = session.response;

    expect(answer.status).toBe(422);
    expect(answer.body["Code"]).toBe(9001);
    expect(details(answer.body)["HumanVerificationToken"]).toMatch(/^[a-z2-7]{32}$/);
    expect(details(answer.body)["HumanVerificationMethods"]).toEqual(["captcha", "email"]);
    expect(String(details(answer.body)["WebUrl"])).toContain(api.controlUrl);
    expect(String(details(answer.body)["WebUrl"])).toContain(
      String(details(answer.body)["HumanVerificationToken"]),
    );
  });

  it("checks the password before asking for verification", async () => {
    const session = await login(api, "hv", "wrong-password");

    expect(session.response.body["Code"]).toBe(8002);
  });

  it("accepts the retry with the solved token", async () => {
    const send = await loginRequest("hv", "hv-password");
    const first = await send();
    const token = String(details(first.body)["HumanVerificationToken"]);

    api.control.solveHumanVerification(token);
    const retry = await send(verificationHeaders(token));

    expect(retry.status).toBe(200);
    expect(retry.body["Code"]).toBe(1000);
    expect(typeof retry.body["AccessToken"]).toBe("string");
  });

  it("answers 12087 for an unsolved token", async () => {
    const send = await loginRequest("hv", "hv-password");
    const first = await send();
    const token = String(details(first.body)["HumanVerificationToken"]);
    const retry = await send(verificationHeaders(token));

    expect(retry.status).toBe(422);
    expect(retry.body["Code"]).toBe(12087);
  });

  it("answers 12087 for a token type that was not offered", async () => {
    const send = await loginRequest("hv", "hv-password");
    const token = String(details((await send()).body)["HumanVerificationToken"]);
    api.control.solveHumanVerification(token);

    const retry = await send(verificationHeaders(token, "sms"));
    expect(retry.body["Code"]).toBe(12087);
  });

  it("answers 12087 for a token without its type", async () => {
    const send = await loginRequest("hv", "hv-password");
    const token = String(details((await send()).body)["HumanVerificationToken"]);
    api.control.solveHumanVerification(token);

    const retry = await send({ "x-pm-human-verification-token": token });
    expect(retry.body["Code"]).toBe(12087);
  });

  it("accepts a solved token once", async () => {
    const send = await loginRequest("hv", "hv-password");
    const token = String(details((await send()).body)["HumanVerificationToken"]);
    api.control.solveHumanVerification(token);
    expect((await send(verificationHeaders(token))).status).toBe(200);

    const sendAgain = await loginRequest("hv", "hv-password");
    const again = await sendAgain(verificationHeaders(token));
    expect(again.body["Code"]).toBe(12087);
  });

  it("rejects a token solved for another user", async () => {
    const sendOther = await loginRequest("other", "other-password");
    const token = String(details((await sendOther()).body)["HumanVerificationToken"]);
    api.control.solveHumanVerification(token);

    const send = await loginRequest("hv", "hv-password");
    const retry = await send(verificationHeaders(token));
    expect(retry.body["Code"]).toBe(12087);
  });

  it("rejects solving a token the server never issued", () => {
    expect(() => api.control.solveHumanVerification("made-up")).toThrow(
      /not issued by this server/,
    );
  });

  it("is solved through the web page", async () => {
    const send = await loginRequest("hv", "hv-password");
    const first = await send();
    const token = String(details(first.body)["HumanVerificationToken"]);

    const page = await fetch(String(details(first.body)["WebUrl"]));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`value="${token}"`);

    const solved = await fetch(new URL("/verify", api.controlUrl), {
      method: "POST",
      body: new URLSearchParams({ token }),
    });
    expect(solved.status).toBe(200);
    expect((await send(verificationHeaders(token, "email"))).status).toBe(200);
  });

  it("is solved through the control API", async () => {
    const send = await loginRequest("hv", "hv-password");
    const token = String(details((await send()).body)["HumanVerificationToken"]);

    const solved = await controlCall(api, "POST", "/human-verification/solve", { token });
    expect(solved.status).toBe(200);
    expect((await send(verificationHeaders(token))).status).toBe(200);
  });
});
