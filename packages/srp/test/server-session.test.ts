import { SrpError } from "@proton/errors";
import { beforeAll, describe, expect, test } from "vitest";

import {
  computeSrpProofs,
  computeVerifier,
  createSrpServerSession,
  getRandomSrpVerifier,
  getSrp,
  hashPassword,
  type SrpServerSession,
  verifyServerProof,
} from "../src/index.js";
import webClients from "./fixtures/webclients.json" with { type: "json" };
import { fromHex, toBase64, toHex } from "./helpers.js";

const modulus = fromHex(webClients.intermediates.modulus_LE_hex);
const modulusValue = BigInt(`0x${toHex(modulus.slice().reverse())}`);
const salt = "u6Jw9fM8sdKHJg==";
const password = "correct horse battery staple";

function toSrpBase64(value: bigint, length = 256): string {
  return toBase64(fromHex(value.toString(16).padStart(length * 2, "0")).reverse());
}

function reasonOf(error: unknown): string | undefined {
  return SrpError.isInstance(error) ? error.reason : undefined;
}

async function caught(attempt: Promise<unknown>): Promise<unknown> {
  return attempt.then(
    () => undefined,
    (error: unknown) => error,
  );
}

let verifier: string;
let hashedPassword: Uint8Array;

beforeAll(async () => {
  verifier = await computeVerifier({ version: 4, password, salt, modulus });
  hashedPassword = await hashPassword({ version: 4, password, salt, modulus });
});

describe("client and server", () => {
  test("getSrp and server session agree", async () => {
    const server = await createSrpServerSession({ modulus, verifier });
    const info = {
      Version: 4,
      Modulus: webClients.SERVER_MODULUS,
      ServerEphemeral: server.serverEphemeral,
      Salt: salt,
    };

    const client = await getSrp(info, { username: "someone", password });
    const serverProof = await server.checkClientProof(client.clientEphemeral, client.clientProof);

    expect(serverProof).toBe(client.expectedServerProof);
    expect(verifyServerProof(client.expectedServerProof, serverProof)).toBe(true);
  });

  test("getRandomSrpVerifier output logs in", async () => {
    const created = await getRandomSrpVerifier(
      { Modulus: webClients.SERVER_MODULUS },
      { password },
    );
    const server = await createSrpServerSession({ modulus, verifier: created.verifier });
    const info = {
      Version: created.version,
      Modulus: webClients.SERVER_MODULUS,
      ServerEphemeral: server.serverEphemeral,
      Salt: created.salt,
    };

    const client = await getSrp(info, { password });

    expect(created.version).toBe(4);
    expect(atob(created.salt)).toHaveLength(10);
    expect(await server.checkClientProof(client.clientEphemeral, client.clientProof)).toBe(
      client.expectedServerProof,
    );
  });

  test("wrong password is client-proof-mismatch", async () => {
    const server = await createSrpServerSession({ modulus, verifier });
    const wrongHash = await hashPassword({ version: 4, password: `${password}!`, salt, modulus });
    const client = computeSrpProofs({
      modulus,
      serverEphemeral: server.serverEphemeral,
      hashedPassword: wrongHash,
    });

    const error = await caught(server.checkClientProof(client.clientEphemeral, client.clientProof));

    expect(reasonOf(error)).toBe("client-proof-mismatch");
  });

  test("server session checks one proof", async () => {
    const server = await createSrpServerSession({ modulus, verifier });
    const client = computeSrpProofs({
      modulus,
      serverEphemeral: server.serverEphemeral,
      hashedPassword,
    });
    await server.checkClientProof(client.clientEphemeral, client.clientProof);

    const error = await caught(server.checkClientProof(client.clientEphemeral, client.clientProof));

    expect(reasonOf(error)).toBe("invalid-client-parameters");
  });

  test("fixed server secret gives fixed ephemeral", async () => {
    const secret = new Uint8Array(256).fill(7, 0, 32);
    const random = () => secret.slice();

    const first = await createSrpServerSession({ modulus, verifier, random });
    const second = await createSrpServerSession({ modulus, verifier, random });

    expect(first.serverEphemeral).toBe(second.serverEphemeral);
  });
});

describe("server rejects client input", () => {
  let server: SrpServerSession;
  let validProof: string;

  beforeAll(async () => {
    server = await createSrpServerSession({ modulus, verifier });
    validProof = computeSrpProofs({
      modulus,
      serverEphemeral: server.serverEphemeral,
      hashedPassword,
    }).clientProof;
  });

  const cases: [string, () => [unknown, unknown]][] = [
    ["A = 0", () => [toSrpBase64(0n), validProof]],
    ["A = 1", () => [toSrpBase64(1n), validProof]],
    ["A = N - 1", () => [toSrpBase64(modulusValue - 1n), validProof]],
    ["A = N", () => [toSrpBase64(modulusValue), validProof]],
    ["A = N + 1", () => [toSrpBase64(modulusValue + 1n), validProof]],
    ["A not base64", () => ["%%%", validProof]],
    ["A of 255 bytes", () => [toSrpBase64(12345n, 255), validProof]],
    ["A of 257 bytes", () => [toSrpBase64(12345n, 257), validProof]],
    ["A missing", () => [undefined, validProof]],
    ["M1 not base64", () => [toSrpBase64(12345n), "not base64!"]],
    ["M1 of 64 bytes", () => [toSrpBase64(12345n), toBase64(new Uint8Array(64))]],
    ["M1 missing", () => [toSrpBase64(12345n), null]],
  ];

  test.each(cases)("rejects %s", async (_name, input) => {
    // Each case gets a fresh session because a session checks one proof.
    const session = await createSrpServerSession({ modulus, verifier });
    const [clientEphemeral, clientProof] = input();

    const error = await caught(
      session.checkClientProof(clientEphemeral as string, clientProof as string),
    );

    expect(reasonOf(error)).toBe("invalid-client-parameters");
  });

  test("valid A with wrong M1 is a mismatch", async () => {
    const client = computeSrpProofs({
      modulus,
      serverEphemeral: server.serverEphemeral,
      hashedPassword,
    });
    const wrongProof = toBase64(new Uint8Array(256).fill(1));

    const error = await caught(server.checkClientProof(client.clientEphemeral, wrongProof));

    expect(reasonOf(error)).toBe("client-proof-mismatch");
  });
});

describe("server rejects setup input", () => {
  test("rejects a 255-byte modulus", async () => {
    await expect(
      createSrpServerSession({ modulus: modulus.slice(0, 255), verifier }),
    ).rejects.toThrow(TypeError);
  });

  test("rejects a modulus that is 7 mod 8", async () => {
    const wrong = fromHex((modulusValue + 4n).toString(16).padStart(512, "0")).reverse();

    await expect(createSrpServerSession({ modulus: wrong, verifier })).rejects.toThrow(/mod 8/);
  });

  test("rejects a 2047-bit modulus", async () => {
    const short = fromHex((modulusValue >> 1n).toString(16).padStart(512, "0")).reverse();

    await expect(createSrpServerSession({ modulus: short, verifier })).rejects.toThrow(/2048-bit/);
  });

  test("rejects a malformed verifier", async () => {
    await expect(createSrpServerSession({ modulus, verifier: "abc" })).rejects.toThrow(TypeError);
  });

  test("rejects verifier 1", async () => {
    await expect(createSrpServerSession({ modulus, verifier: toSrpBase64(1n) })).rejects.toThrow(
      /verifier must be in/,
    );
  });
});

describe("client rejects server input", () => {
  const cases: [string, () => unknown][] = [
    ["B = 0", () => toSrpBase64(0n)],
    ["B = 1", () => toSrpBase64(1n)],
    ["B = N - 1", () => toSrpBase64(modulusValue - 1n)],
    ["B = N", () => toSrpBase64(modulusValue)],
    ["B = 2^2048 - 1", () => toBase64(new Uint8Array(256).fill(255))],
    ["B not base64", () => "B*"],
    [
      "B URL-safe base64",
      () =>
        toSrpBase64(modulusValue - 5n)
          .replace(/\+/g, "-")
          .replace(/\//g, "_"),
    ],
    ["B without padding", () => toSrpBase64(2n, 255).replace(/=+$/, "")],
    ["B of 255 bytes", () => toSrpBase64(2n, 255)],
    ["B of 512 bytes", () => toSrpBase64(2n, 512)],
    ["B missing", () => undefined],
  ];

  test.each(cases)("computeSrpProofs rejects %s", (_name, serverEphemeral) => {
    let error: unknown;
    try {
      computeSrpProofs({
        modulus,
        serverEphemeral: serverEphemeral() as string,
        hashedPassword,
      });
    } catch (caughtError) {
      error = caughtError;
    }

    expect(reasonOf(error)).toBe("invalid-server-parameters");
  });

  test("computeSrpProofs rejects a short modulus", () => {
    const serverEphemeral = toSrpBase64(12345n);

    expect(() =>
      computeSrpProofs({ modulus: modulus.slice(1), serverEphemeral, hashedPassword }),
    ).toThrow(TypeError);
  });

  test("computeSrpProofs rejects a short hash", () => {
    const serverEphemeral = toSrpBase64(12345n);

    expect(() =>
      computeSrpProofs({ modulus, serverEphemeral, hashedPassword: hashedPassword.slice(1) }),
    ).toThrow(/hashedPassword must be/);
  });

  test("getSrp rejects B = N before bcrypt", async () => {
    const info = {
      Version: 4,
      Modulus: webClients.SERVER_MODULUS,
      ServerEphemeral: toSrpBase64(modulusValue),
      Salt: salt,
    };

    const error = await caught(getSrp(info, { password }));

    expect(reasonOf(error)).toBe("invalid-server-parameters");
  });

  const salts: [string, string][] = [
    ["not base64", "u6Jw9fM8sdKHJg="],
    ["9 bytes", toBase64(new Uint8Array(9))],
    ["16 bytes", toBase64(new Uint8Array(16))],
    ["empty", ""],
  ];

  test.each(salts)("hashPassword rejects a salt %s", async (_name, badSalt) => {
    const error = await caught(hashPassword({ version: 4, password, salt: badSalt, modulus }));

    expect(reasonOf(error)).toBe("invalid-server-parameters");
  });
});

describe("verifyServerProof", () => {
  const expected = webClients.getSrp.expectedServerProof;
  const other = toBase64(new Uint8Array(256).fill(9));
  const cases: [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["a number", 42],
    ["an empty string", ""],
    ["malformed base64", `${expected.slice(1)}`],
    ["a different proof", other],
    ["a truncated proof", toBase64(new Uint8Array(atob(expected).length - 1))],
  ];

  test.each(cases)("returns false for %s", (_name, proof) => {
    expect(verifyServerProof(expected, proof)).toBe(false);
  });

  test("returns true for the same proof", () => {
    expect(verifyServerProof(expected, `${expected}`)).toBe(true);
  });
});
