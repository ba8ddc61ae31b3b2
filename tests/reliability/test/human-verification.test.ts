import {
  HumanVerificationRequiredError,
  InvalidCredentialsError,
  InvalidVerificationTokenError,
} from "@proton/api";
import { type FakeApi, startFakeApi } from "@proton/fake-api";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  addUser,
  catchError,
  countRoute,
  createClient,
  expectNoTokenLogged,
  type TestClient,
} from "./helpers/client.js";
import { type RewritingProxy, startRewritingProxy } from "./helpers/rewriting-proxy.js";

const LOGIN = "POST /auth/v4";

let api: FakeApi;
let proxy: RewritingProxy;
const clients: TestClient[] = [];

beforeAll(async () => {
  api = await startFakeApi();
  proxy = await startRewritingProxy(api);
});

afterAll(async () => {
  for (const client of clients) {
    expectNoTokenLogged(client);
  }
  await Promise.all(clients.map((client) => client.close()));
  await proxy.close();
  await api.close();
});

beforeEach(() => {
  api.control.clearRequestLog();
  proxy.setRewrite(undefined);
});

/** A user that must pass human verification, and a session that has not logged in yet. */
async function verifiedUser() {
  const user = await addUser(api, { humanVerification: true });
  const tested = await createClient(api);
  clients.push(tested);
  return { user, tested };
}

/** Logs in once, expects the 9001 human-verification error, and returns it. */
async function requestVerification(
  tested: TestClient,
  username: string,
  password: string,
): Promise<HumanVerificationRequiredError> {
  const error = await catchError(() => tested.session.authenticate(username, password));
  if (!HumanVerificationRequiredError.isInstance(error)) {
    throw new Error(`Expected HumanVerificationRequiredError, got ${String(error)}.`);
  }
  return error as HumanVerificationRequiredError;
}

describe("human verification 9001", () => {
  test("error carries the verification details", async () => {
    const { user, tested } = await verifiedUser();

    const error = await requestVerification(tested, user.username, user.password);

    expect(error.code).toBe(9001);
    expect(error.status).toBe(422);
    expect(error.verification.token).toMatch(/\S/);
    expect(error.verification.methods).toEqual(["captcha", "email"]);
    expect(error.verification.webUrl).toContain(error.verification.token);
    expect(new URL(error.verification.webUrl ?? "").protocol).toBe("http:");
    expect(error.verification.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(tested.session.isAuthenticated).toBe(false);
    expect(tested.dumpFile.changes).toHaveLength(0);
  });

  test("solved token completes the login", async () => {
    const { user, tested } = await verifiedUser();
    const error = await requestVerification(tested, user.username, user.password);
    api.control.solveHumanVerification(error.verification.token);

    tested.session.setHumanVerificationToken({ type: "captcha", token: error.verification.token });
    const result = await tested.session.authenticate(user.username, user.password);

    expect(result.uid).toBe(tested.session.uid);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
    const stored = await tested.dumpFile.read();
    expect(stored.session_data.UID).toBe(result.uid);
  });

  test("solved token is not written to the dump", async () => {
    const { user, tested } = await verifiedUser();
    const error = await requestVerification(tested, user.username, user.password);
    api.control.solveHumanVerification(error.verification.token);

    tested.session.setHumanVerificationToken({ type: "captcha", token: error.verification.token });
    await tested.session.authenticate(user.username, user.password);

    expect(await tested.dumpFile.readText()).not.toContain(error.verification.token);
  });
});

describe("human verification 12087", () => {
  test("wrong token fails once without a loop", async () => {
    const { user, tested } = await verifiedUser();
    await requestVerification(tested, user.username, user.password);
    api.control.clearRequestLog();

    tested.session.setHumanVerificationToken({ type: "captcha", token: "not-the-solved-token" });
    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(InvalidVerificationTokenError.isInstance(error)).toBe(true);
    expect((error as InvalidVerificationTokenError).code).toBe(12087);
    expect(countRoute(api, LOGIN)).toBe(1);
    expect(countRoute(api, "POST /auth/v4/info")).toBe(1);
    expect(tested.session.isAuthenticated).toBe(false);
    expect(tested.dumpFile.changes).toHaveLength(0);
  });

  test("unsolved token is rejected with 12087", async () => {
    const { user, tested } = await verifiedUser();
    const issued = await requestVerification(tested, user.username, user.password);

    tested.session.setHumanVerificationToken({ type: "captcha", token: issued.verification.token });
    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(InvalidVerificationTokenError.isInstance(error)).toBe(true);
    expect(tested.dumpFile.changes).toHaveLength(0);
  });

  test("rejected token is used only once", async () => {
    const { user, tested } = await verifiedUser();
    await requestVerification(tested, user.username, user.password);
    tested.session.setHumanVerificationToken({ type: "captcha", token: "not-the-solved-token" });
    await catchError(() => tested.session.authenticate(user.username, user.password));

    const next = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(HumanVerificationRequiredError.isInstance(next)).toBe(true);
  });

  test("wrong password with a solved token is 8002", async () => {
    const { user, tested } = await verifiedUser();
    const issued = await requestVerification(tested, user.username, user.password);
    api.control.solveHumanVerification(issued.verification.token);

    tested.session.setHumanVerificationToken({ type: "captcha", token: issued.verification.token });
    const error = await catchError(() => tested.session.authenticate(user.username, "wrong"));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect(tested.dumpFile.changes).toHaveLength(0);
  });
});

describe("human verification on an API request", () => {
  test("solved token is sent once with the retry", async () => {
    const user = await addUser(api);
    const tested = await createClient(proxy);
    clients.push(tested);
    await tested.session.authenticate(user.username, user.password);
    const loginDump = await tested.dumpFile.readText();
    const sentTokens: (string | undefined)[] = [];
    let verified = false;
    proxy.setRewrite((reply) => {
      if (reply.route !== "GET /core/v4/users") {
        return undefined;
      }
      const sent = reply.requestHeaders["x-pm-human-verification-token"];
      sentTokens.push(typeof sent === "string" ? sent : undefined);
      if (sent === "solved-token" && !verified) {
        verified = true;
        return undefined;
      }
      return verified
        ? undefined
        : {
            status: 422,
            json: {
              Code: 9001,
              Error: "Human verification required.",
              Details: {
                HumanVerificationToken: "issued-token",
                HumanVerificationMethods: ["captcha"],
                WebUrl: "https://verify.proton.me/?token=issued-token",
              },
            },
          };
    });

    const required = await catchError(() => tested.session.apiRequest("/core/v4/users"));
    tested.session.setHumanVerificationToken({ type: "captcha", token: "solved-token" });
    const retried = await tested.session.apiRequest("/core/v4/users");
    const next = await tested.session.apiRequest("/core/v4/users");

    expect(HumanVerificationRequiredError.isInstance(required)).toBe(true);
    expect((required as HumanVerificationRequiredError).verification.token).toBe("issued-token");
    expect(retried.Code).toBe(1000);
    expect(next.Code).toBe(1000);
    expect(sentTokens).toEqual([undefined, "solved-token", undefined]);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
    expect(await tested.dumpFile.readText()).toBe(loginDump);
  });
});
