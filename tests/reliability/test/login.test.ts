import { existsSync } from "node:fs";
import {
  InvalidCredentialsError,
  InvalidUsernameError,
  ProtonError,
  SrpError,
  type SrpErrorReason,
  UnexpectedResponseError,
} from "@proton/api";
import { type FakeApi, startFakeApi } from "@proton/fake-api";
import { createNodeTransport } from "@proton/transport-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  addUser,
  type ClientOptions,
  catchError,
  countRoute,
  createClient,
  type Endpoint,
  type TestClient,
  uniqueUsername,
} from "./helpers/client.js";
import {
  alterModulusBody,
  createForeignModulusKey,
  type ForeignModulusKey,
  modulusBody,
  readLittleEndian,
  signModulus,
  writeLittleEndian,
} from "./helpers/moduli.js";
import { type RewritingProxy, startRewritingProxy } from "./helpers/rewriting-proxy.js";

let api: FakeApi;
let proxy: RewritingProxy;
let foreignKey: ForeignModulusKey;
const clients: TestClient[] = [];

beforeAll(async () => {
  api = await startFakeApi();
  proxy = await startRewritingProxy(api);
  foreignKey = await createForeignModulusKey();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await proxy.close();
  await api.close();
});

beforeEach(() => {
  api.control.clearFaults();
  api.control.clearRequestLog();
  proxy.setRewrite(undefined);
});

async function client(endpoint: Endpoint = api, options: ClientOptions = {}): Promise<TestClient> {
  const created = await createClient(endpoint, options);
  clients.push(created);
  return created;
}

/** Checks that a failed login left nothing behind: no token, no token change, no dump file. */
function expectNothingStored(tested: TestClient): void {
  expect(tested.session.isAuthenticated).toBe(false);
  expect(tested.session.accessToken).toBeUndefined();
  expect(tested.dumpFile.changes).toHaveLength(0);
  expect(existsSync(tested.dumpFile.path)).toBe(false);
}

function expectSrpError(error: unknown, reason: SrpErrorReason): asserts error is SrpError {
  expect(SrpError.isInstance(error)).toBe(true);
  expect((error as SrpError).reason).toBe(reason);
}

/** Makes the proxy rewrite the `/auth/v4/info` reply. */
function rewriteInfo(change: (info: Record<string, unknown>) => Record<string, unknown>): void {
  proxy.setRewrite((reply) =>
    reply.route === "POST /auth/v4/info" && reply.status === 200
      ? { json: change(reply.json as Record<string, unknown>) }
      : undefined,
  );
}

describe("login with wrong credentials", () => {
  test("wrong password is InvalidCredentialsError", async () => {
    const user = await addUser(api);
    const tested = await client();

    const error = await catchError(() => tested.session.authenticate(user.username, "wrong"));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect((error as InvalidCredentialsError).status).toBe(422);
    expect((error as InvalidCredentialsError).code).toBe(8002);
    expect(countRoute(api, "POST /auth/v4")).toBe(1);
    expectNothingStored(tested);
  });

  test("wrong password message and JSON hold no secret", async () => {
    const user = await addUser(api);
    const tested = await client();
    const password = "wrong-password-7d1c0e";

    const error = await catchError(() => tested.session.authenticate(user.username, password));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    const serialised = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).stack)}`;
    expect(serialised).not.toContain(password);
    expect(tested.logger.lines().join("\n")).not.toContain(password);
  });

  test("unknown username is InvalidCredentialsError", async () => {
    const tested = await client();

    const error = await catchError(() =>
      tested.session.authenticate(uniqueUsername("nobody"), "any-password"),
    );

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect((error as InvalidCredentialsError).code).toBe(8002);
    expectNothingStored(tested);
  });

  test("6003 from info is InvalidUsernameError", async () => {
    const tested = await client();
    api.control.injectFault({
      route: "POST /auth/v4/info",
      kind: "status",
      status: 422,
      code: 6003,
    });

    const error = await catchError(() => tested.session.authenticate("bad name!", "any"));

    expect(InvalidUsernameError.isInstance(error)).toBe(true);
    expect(InvalidCredentialsError.isInstance(error)).toBe(false);
    expect((error as InvalidUsernameError).code).toBe(6003);
    expect(countRoute(api, "POST /auth/v4")).toBe(0);
    expectNothingStored(tested);
  });

  test("6003 from login is InvalidUsernameError", async () => {
    const user = await addUser(api);
    const tested = await client();
    api.control.injectFault({ route: "POST /auth/v4", kind: "status", status: 422, code: 6003 });

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(InvalidUsernameError.isInstance(error)).toBe(true);
    expectNothingStored(tested);
  });
});

describe("login over a stored session", () => {
  test("wrong password keeps the stored session", async () => {
    const user = await addUser(api);
    const tested = await client();
    await tested.session.authenticate(user.username, user.password);
    const stored = await tested.dumpFile.readText();

    const error = await catchError(() => tested.session.authenticate(user.username, "wrong"));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect(await tested.dumpFile.readText()).toBe(stored);
    const users = await tested.session.apiRequest("/core/v4/users");
    expect(users.Code).toBe(1000);
  });
});

describe("login server proof", () => {
  test("mismatching ServerProof stores nothing", async () => {
    const user = await addUser(api);
    const tested = await client(proxy);
    proxy.setRewrite((reply) =>
      reply.route === "POST /auth/v4" && reply.status === 200
        ? {
            json: {
              ...(reply.json as object),
              ServerProof: Buffer.alloc(256, 7).toString("base64"),
            },
          }
        : undefined,
    );

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expectSrpError(error, "server-proof-mismatch");
    expect(countRoute(api, "POST /auth/v4")).toBe(1);
    expectNothingStored(tested);
  });

  test("missing ServerProof stores nothing", async () => {
    const user = await addUser(api);
    const tested = await client(proxy);
    proxy.setRewrite((reply) => {
      if (reply.route !== "POST /auth/v4" || reply.status !== 200) {
        return undefined;
      }
      const { ServerProof: _dropped, ...rest } = reply.json as Record<string, unknown>;
      return { json: rest };
    });

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expectSrpError(error, "server-proof-mismatch");
    expectNothingStored(tested);
  });
});

describe("login reply fields", () => {
  test("login reply without AccessToken stores nothing", async () => {
    const user = await addUser(api);
    const tested = await client(proxy);
    proxy.setRewrite((reply) => {
      if (reply.route !== "POST /auth/v4" || reply.status !== 200) {
        return undefined;
      }
      const { AccessToken: _dropped, ...rest } = reply.json as Record<string, unknown>;
      return { json: rest };
    });

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/AccessToken/);
    expectNothingStored(tested);
  });

  test.each(["Modulus", "ServerEphemeral", "Salt", "SRPSession", "Version"])(
    "info reply without %s sends no proof",
    async (field) => {
      const user = await addUser(api);
      const tested = await client(proxy);
      rewriteInfo((info) => {
        const { [field]: _dropped, ...rest } = info;
        return rest;
      });

      const error = await catchError(() =>
        tested.session.authenticate(user.username, user.password),
      );

      expect(UnexpectedResponseError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(field);
      expect(countRoute(api, "POST /auth/v4")).toBe(0);
      expectNothingStored(tested);
    },
  );

  test.each([
    ["16-byte", Buffer.alloc(16, 1).toString("base64")],
    ["empty", ""],
    ["non-base64", "not base64!"],
  ])("%s Salt sends no proof", async (_name, salt) => {
    const user = await addUser(api);
    const tested = await client(proxy);
    rewriteInfo((info) => ({ ...info, Salt: salt }));

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(ProtonError.isInstance(error)).toBe(true);
    expect(countRoute(api, "POST /auth/v4")).toBe(0);
    expectNothingStored(tested);
  });
});

describe("login auth versions", () => {
  test.each([
    [0, "v0.user"],
    [1, "v1.user"],
    [2, "v2.user"],
    [3, "v3user"],
    [4, "v4user"],
  ] as const)("auth version %i logs in", async (authVersion, prefix) => {
    const user = await addUser(api, { username: uniqueUsername(prefix), authVersion });
    const tested = await client();

    const result = await tested.session.authenticate(user.username, user.password);

    expect(result.authVersion).toBe(authVersion);
    expect(tested.session.isAuthenticated).toBe(true);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
    const stored = await tested.dumpFile.read();
    expect(stored.session_data.UID).toBe(result.uid);
    expect(stored.session_data.RefreshToken).toBe(tested.session.refreshToken);
  });

  test.each([
    // uniqueUsername adds "-" and hex digits, so the plain name is built without it.
    ["plain name", () => `plain${uniqueUsername().replace(/\W/g, "")}`, 2],
    ["name that cleaning changes", () => uniqueUsername("v0.user"), 3],
  ] as const)("auth version 0 wrong password, %s", async (_name, username, attempts) => {
    const user = await addUser(api, { username: username(), authVersion: 0 });
    const tested = await client();

    const error = await catchError(() => tested.session.authenticate(user.username, "wrong"));

    // Version 0 means unknown, so the session tries 2, then 1 when cleaning changes the
    // name, then 0, each with fresh info, before it reports the wrong password.
    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expect(countRoute(api, "POST /auth/v4/info")).toBe(attempts);
    expect(countRoute(api, "POST /auth/v4")).toBe(attempts);
    expectNothingStored(tested);
  });

  test("auth version 5 is rejected before the proof", async () => {
    const user = await addUser(api);
    const tested = await client(proxy);
    rewriteInfo((info) => ({ ...info, Version: 5 }));

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expectSrpError(error, "unsupported-auth-version");
    expect((error as SrpError).message).toMatch(/5/);
    expect(countRoute(api, "POST /auth/v4")).toBe(0);
    expectNothingStored(tested);
  });
});

describe("login modulus check", () => {
  test("modulus signed by a foreign key is rejected", async () => {
    const user = await addUser(api);
    const tested = await client(proxy);
    const original = await firstInfoModulus(user.username);
    const resigned = await signModulus(modulusBody(original), foreignKey);
    rewriteInfo((info) => ({ ...info, Modulus: resigned }));

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expectSrpError(error, "invalid-modulus");
    expect(countRoute(api, "POST /auth/v4")).toBe(0);
    expectNothingStored(tested);
  });

  test("foreign-signed modulus passes with that key", async () => {
    const user = await addUser(api);
    const tested = await client(proxy, { srp: { modulusKey: foreignKey.publicKey } });
    const original = await firstInfoModulus(user.username);
    const resigned = await signModulus(modulusBody(original), foreignKey);
    rewriteInfo((info) => ({ ...info, Modulus: resigned }));

    const result = await tested.session.authenticate(user.username, user.password);

    expect(result.uid).toBe(tested.session.uid);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
  });

  test("altered modulus body is rejected", async () => {
    const user = await addUser(api);
    const tested = await client(proxy);
    rewriteInfo((info) => ({ ...info, Modulus: alterModulusBody(info["Modulus"] as string) }));

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expectSrpError(error, "invalid-modulus");
    expect((error as SrpError).message).toMatch(/signature/);
    expect(countRoute(api, "POST /auth/v4")).toBe(0);
    expectNothingStored(tested);
  });

  test("data after the signature is rejected", async () => {
    const user = await addUser(api);
    const tested = await client(proxy);
    rewriteInfo((info) => ({ ...info, Modulus: `${info["Modulus"] as string}\ntrailing data\n` }));

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expectSrpError(error, "invalid-modulus");
    expect(countRoute(api, "POST /auth/v4")).toBe(0);
    expectNothingStored(tested);
  });

  test.each([
    ["2047-bit modulus", (modulus: bigint) => modulus >> 1n, /2047 bits/],
    ["modulus that is not 3 mod 8", (modulus: bigint) => modulus + 2n, /mod 8 is 5/],
  ] as const)("%s is rejected", async (_name, change, message) => {
    const user = await addUser(api);
    // The modulus is signed with a key the session trusts, so only the number check can fail.
    const tested = await client(proxy, { srp: { modulusKey: foreignKey.publicKey } });
    const original = readLittleEndian(modulusBody(await firstInfoModulus(user.username)));
    const resigned = await signModulus(writeLittleEndian(change(original)), foreignKey);
    rewriteInfo((info) => ({ ...info, Modulus: resigned }));

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expectSrpError(error, "invalid-modulus");
    expect((error as SrpError).message).toMatch(message);
    expect(countRoute(api, "POST /auth/v4")).toBe(0);
    expectNothingStored(tested);
  });
});

describe("login ServerEphemeral check", () => {
  test.each([
    ["0", () => 0n],
    ["1", () => 1n],
    ["N-1", (modulus: bigint) => modulus - 1n],
    ["N", (modulus: bigint) => modulus],
  ] as const)("ServerEphemeral %s sends no proof", async (_name, value) => {
    const user = await addUser(api);
    const tested = await client(proxy);
    rewriteInfo((info) => {
      const modulus = readLittleEndian(modulusBody(info["Modulus"] as string));
      return { ...info, ServerEphemeral: writeLittleEndian(value(modulus)) };
    });

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expectSrpError(error, "invalid-server-parameters");
    expect(countRoute(api, "POST /auth/v4/info")).toBe(1);
    expect(countRoute(api, "POST /auth/v4")).toBe(0);
    expectNothingStored(tested);
  });
});

describe("login password bytes", () => {
  const ascii = (length: number, fill = "p"): string => fill.repeat(length);

  test.each([
    ["71 bytes", ascii(71)],
    ["72 bytes", ascii(72)],
    ["73 bytes", ascii(73)],
    ["80 bytes", ascii(80)],
    ["2-byte character across byte 72", `${ascii(71)}é${ascii(5)}`],
    ["4-byte character across byte 72", `${ascii(70)}😀${ascii(3)}`],
    ["leading and trailing spaces", "  spaced password  "],
    ["tabs", "\ttabbed\tpassword\t"],
    ["NFD-composed characters", "cafe\u0301-pa\u0301ssword"],
    ["NFC-composed characters", "caf\u00e9-p\u00e1ssword"],
  ])("%s logs in unchanged", async (_name, password) => {
    const user = await addUser(api, { password });
    const tested = await client();

    const result = await tested.session.authenticate(user.username, password);

    expect(result.uid).toBe(tested.session.uid);
    expect(tested.dumpFile.reasons()).toEqual(["login"]);
  });

  test.each([
    ["71 bytes, last byte changed", ascii(71), `${ascii(70)}q`],
    ["72 bytes, byte 72 changed", ascii(72), `${ascii(71)}q`],
    ["spaces trimmed", "  spaced password  ", "spaced password"],
    ["tabs replaced by spaces", "\ttabbed\tpassword\t", " tabbed password "],
    ["NFD sent as NFC", "cafe\u0301-pa\u0301ssword", "caf\u00e9-p\u00e1ssword"],
    ["NFC sent as NFD", "caf\u00e9-p\u00e1ssword", "cafe\u0301-pa\u0301ssword"],
    ["first byte of a split character changed", `${ascii(71)}é`, `${ascii(71)}\u0100`],
  ])("%s is a wrong password", async (_name, stored, sent) => {
    const user = await addUser(api, { password: stored });
    const tested = await client();

    const error = await catchError(() => tested.session.authenticate(user.username, sent));

    expect(InvalidCredentialsError.isInstance(error)).toBe(true);
    expectNothingStored(tested);
  });

  test.each([
    ["73 bytes, byte 73 changed", ascii(73), `${ascii(72)}q`],
    ["80 bytes, bytes 73 to 80 changed", ascii(80), `${ascii(72)}${ascii(8, "x")}`],
    // é is C3 A9 and è is C3 A8 in UTF-8, so bytes 1 to 72 are equal.
    ["second byte of a split character changed", `${ascii(71)}é`, `${ascii(71)}è`],
  ])("%s still logs in (bcrypt reads 72 bytes)", async (_name, stored, sent) => {
    const user = await addUser(api, { password: stored });
    const tested = await client();

    const result = await tested.session.authenticate(user.username, sent);

    expect(result.uid).toBe(tested.session.uid);
  });
});

describe("login password input", () => {
  test.each([
    ["empty password", ""],
    ["lone UTF-16 surrogate", "pass\ud800word"],
  ])("%s is invalid-password", async (_name, password) => {
    const user = await addUser(api);
    const tested = await client();

    const error = await catchError(() => tested.session.authenticate(user.username, password));

    expectSrpError(error, "invalid-password");
    expect(countRoute(api, "POST /auth/v4")).toBe(0);
    expectNothingStored(tested);
  });
});

describe("login error types", () => {
  test("SRP error is a ProtonError without secrets", async () => {
    const user = await addUser(api);
    const tested = await client(proxy);
    rewriteInfo((info) => ({ ...info, ServerEphemeral: writeLittleEndian(0n) }));

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(ProtonError.isInstance(error)).toBe(true);
    expect(JSON.stringify(error)).not.toContain(user.password);
    expect((error as Error).message).not.toContain(user.password);
    expect(tested.logger.lines().join("\n")).not.toContain(user.password);
  });
});

/** Fetches the signed modulus the fake API serves for a user, then clears the request log. */
async function firstInfoModulus(username: string): Promise<string> {
  const response = await fetchInfo(username);
  const modulus = response["Modulus"];
  if (typeof modulus !== "string") {
    throw new Error("The fake API's info reply has no Modulus.");
  }
  api.control.clearRequestLog();
  return modulus;
}

async function fetchInfo(username: string): Promise<Record<string, unknown>> {
  const transport = createNodeTransport({ pins: [api.pin], ca: api.ca });
  try {
    const response = await transport.request({
      method: "POST",
      url: `${api.url}/auth/v4/info`,
      headers: { "x-pm-appversion": "Other" },
      body: { Username: username },
    });
    return response.json() as Record<string, unknown>;
  } finally {
    await transport.close();
  }
}
