import { SrpError } from "@proton/errors";
import { bcrypt as wasmBcrypt } from "hash-wasm";
import { describe, expect, test } from "vitest";
import {
  bcryptHash,
  bcryptHashJs,
  bcryptHashWasm,
  bcryptImplementation,
  decodeBcryptBase64,
} from "../src/bcrypt.js";
import {
  computeKeyPassword,
  computeSrpProofs,
  computeVerifier,
  expandHash,
  getRandomSrpVerifier,
  getSrp,
  hashPassword,
  verifyServerProof,
} from "../src/index.js";
import goSrpBcrypt from "./fixtures/go-srp-bcrypt.json" with { type: "json" };
import protonCryptoRs from "./fixtures/proton-crypto-rs.json" with { type: "json" };
import pythonClient from "./fixtures/python-client.json" with { type: "json" };
import webClients from "./fixtures/webclients.json" with { type: "json" };
import { fixedRandom, fromBase64, fromHex, toBase64, toHex } from "./helpers.js";

const fakeRandom = fixedRandom(fromBase64(webClients.FAKE_RANDOM_b64));

describe("WebClients login vector", () => {
  test("getSrp matches client ephemeral and proofs", async () => {
    const result = await getSrp(
      webClients.AUTH_RESPONSE,
      webClients.getSrp.credentials,
      undefined,
      {
        random: fakeRandom,
      },
    );

    expect(result.clientEphemeral).toBe(webClients.getSrp.clientEphemeral);
    expect(result.clientProof).toBe(webClients.getSrp.clientProof);
    expect(result.expectedServerProof).toBe(webClients.getSrp.expectedServerProof);
    expect(toHex(result.sharedSession)).toBe(webClients.intermediates.S_sharedSession_LE_hex);
  });

  test("getRandomSrpVerifier matches salt and verifier", async () => {
    const result = await getRandomSrpVerifier(
      webClients.AUTH_RESPONSE,
      { password: webClients.getRandomSrpVerifier.password },
      { random: fakeRandom },
    );

    expect(result).toEqual({
      version: 4,
      salt: webClients.getRandomSrpVerifier.salt,
      verifier: webClients.getRandomSrpVerifier.verifier,
    });
  });

  test("bcrypt step matches intermediate output", async () => {
    const salt = decodeBcryptBase64(webClients.intermediates.bcrypt_salt22, 16);

    const output = await bcryptHash("123", salt);

    expect(output).toBe(webClients.intermediates.bcrypt_output);
  });

  test("hashPassword matches intermediate x", async () => {
    const x = await hashPassword({
      version: 4,
      password: "123",
      salt: webClients.AUTH_RESPONSE.Salt,
      modulus: fromHex(webClients.intermediates.modulus_LE_hex),
    });

    expect(toHex(x)).toBe(webClients.intermediates.x_hashedPassword_hex);
  });

  test("verifyServerProof accepts the expected proof", () => {
    expect(
      verifyServerProof(
        webClients.getSrp.expectedServerProof,
        webClients.getSrp.expectedServerProof,
      ),
    ).toBe(true);
  });
});

describe("WebClients password hashes", () => {
  const { hashPassword: vector } = webClients;
  const modulus = new Uint8Array(256);

  test("expandHash of 'wat'", () => {
    expect(toBase64(expandHash(new TextEncoder().encode("wat")))).toBe(vector.expandHash_wat);
  });

  test.each([
    [4, vector.v4_v3],
    [3, vector.v4_v3],
    [2, vector.v2_v1],
    [1, vector.v2_v1],
    [0, vector.v0],
  ])("hashPassword version %i", async (version, expected) => {
    const x = await hashPassword({
      version,
      password: vector.password,
      username: vector.username,
      salt: vector.salt_b64,
      modulus,
    });

    expect(toBase64(x)).toBe(expected);
  });

  test("computeKeyPassword", async () => {
    const { computeKeyPassword: keyVector } = webClients;

    const result = await computeKeyPassword(keyVector.password, keyVector.salt);

    expect(result).toBe(keyVector.result);
    expect(keyVector.fullBcrypt.endsWith(result)).toBe(true);
  });
});

describe("Python client verifiers", () => {
  const valid = pythonClient.srpInstances.filter((instance) => instance.Exception === null);

  test("has 11 valid instances", () => {
    expect(valid).toHaveLength(11);
  });

  test.each(valid.map((instance) => [instance.Username, instance] as const))(
    "computeVerifier for %s",
    async (_name, instance) => {
      const verifier = await computeVerifier({
        version: 4,
        password: instance.Password,
        salt: instance.Salt,
        username: instance.Username,
        modulus: fromHex(instance.Modulus),
      });

      expect(verifier).toBe(instance.Verifier);
    },
  );

  test("computeVerifier rejects the empty password", async () => {
    const instance = pythonClient.srpInstances.find((item) => item.Exception !== null);
    expect(instance?.Password).toBe("");

    const attempt = computeVerifier({
      version: 4,
      password: instance?.Password ?? "",
      salt: instance?.Salt ?? "",
      modulus: fromHex(instance?.Modulus ?? ""),
    });

    await expect(attempt).rejects.toSatisfy(
      (error) => SrpError.isInstance(error) && error.reason === "invalid-password",
    );
  });
});

describe("proton-crypto-rs client proofs", () => {
  test.each(protonCryptoRs.instances.map((instance) => [instance.username, instance] as const))(
    "computeSrpProofs for %s",
    async (_name, instance) => {
      const modulus = fromBase64(instance.modulus);
      const hashedPassword = await hashPassword({
        version: instance.version,
        password: instance.password,
        salt: instance.salt,
        username: instance.username,
        modulus,
      });

      const result = computeSrpProofs({
        modulus,
        serverEphemeral: instance.server_ephemeral,
        hashedPassword,
        random: fixedRandom(fromBase64(instance.client_secret)),
      });

      expect(result.clientEphemeral).toBe(instance.expected_client_ephemeral);
      expect(result.clientProof).toBe(instance.expected_client_proof);
      expect(result.expectedServerProof).toBe(instance.expected_server_proof);
    },
  );
});

describe("go-srp bcrypt", () => {
  test("Node uses hash-wasm", async () => {
    expect(await bcryptImplementation()).toBe("hash-wasm");
  });

  test.each(goSrpBcrypt.cases.map((item) => [item.salt, item.hash] as const))(
    "bcrypt with salt %s",
    async (salt22, hash) => {
      const salt = decodeBcryptBase64(salt22, 16);

      expect(await bcryptHashJs(goSrpBcrypt.password, salt)).toBe(hash);
      expect(await bcryptHashWasm(wasmBcrypt, goSrpBcrypt.password, salt)).toBe(hash);
    },
  );
});
