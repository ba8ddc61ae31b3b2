import { SrpError } from "@proton/errors";
import { createCleartextMessage, generateKey, readKey, readPrivateKey, sign } from "openpgp";
import { beforeAll, describe, expect, test } from "vitest";

import { PROTON_MODULUS_KEY, verifyModulus } from "../src/index.js";
import compositeCandidate from "./fixtures/composite-safe-prime-candidate.json" with {
  type: "json",
};
import extraSignedModuli from "./fixtures/extra-signed-moduli.json" with { type: "json" };
import modulusKey from "./fixtures/modulus-key.json" with { type: "json" };
import pythonClient from "./fixtures/python-client.json" with { type: "json" };
import webClients from "./fixtures/webclients.json" with { type: "json" };
import { fromHex, toBase64, toHex } from "./helpers.js";

/** The valid modulus of the WebClients vector, as 256 little-endian bytes. */
const validModulus = fromHex(webClients.intermediates.modulus_LE_hex);

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${toHex(bytes.slice().reverse()) || "0"}`);
}

function bigIntToLittleEndian(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, "0");
  return fromHex(hex).reverse();
}

async function expectInvalidModulus(attempt: Promise<unknown>, message: RegExp): Promise<void> {
  const error: unknown = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(SrpError.isInstance(error)).toBe(true);
  expect((error as SrpError).reason).toBe("invalid-modulus");
  expect((error as SrpError).message).toMatch(message);
}

describe("verifyModulus with Proton's key", () => {
  test("built-in key matches the published key", async () => {
    const key = await readKey({ armoredKey: PROTON_MODULUS_KEY });

    expect(key.getFingerprint()).toBe(modulusKey.fingerprint);
    expect(PROTON_MODULUS_KEY).toBe(modulusKey.armored);
  });

  test("accepts the WebClients modulus", async () => {
    const modulus = await verifyModulus(webClients.SERVER_MODULUS);

    expect(toHex(modulus)).toBe(webClients.intermediates.modulus_LE_hex);
  });

  test.each(pythonClient.signedModuli.map((item, index) => [index, item] as const))(
    "Python client signed modulus %i",
    async (_index, item) => {
      const attempt = verifyModulus(item.SignedModulus);

      if (item.valid) {
        expect(toBase64(await attempt)).toBe(item.Decoded);
      } else {
        await expectInvalidModulus(attempt, /signature/);
      }
    },
  );

  test.each(extraSignedModuli.moduli.map((item, index) => [index, item] as const))(
    "go-srp and go-proton-api modulus %i",
    async (_index, armored) => {
      const modulus = await verifyModulus(armored);

      expect(modulus).toHaveLength(256);
    },
  );

  test("rejects the tampered WebClients modulus", async () => {
    await expectInvalidModulus(verifyModulus(webClients.SERVER_MODULUS_FAKE), /signature/);
  });

  test("rejects text after the signature", async () => {
    const armored = `${webClients.SERVER_MODULUS}\nextra`;

    await expectInvalidModulus(verifyModulus(armored), /nothing before or after/);
  });

  test("rejects a second signature block", async () => {
    const armored = `${webClients.SERVER_MODULUS}\n${webClients.SERVER_MODULUS}`;

    await expectInvalidModulus(verifyModulus(armored), /exactly one/);
  });

  test("rejects text before the message", async () => {
    const armored = `Hello\n${webClients.SERVER_MODULUS}`;

    await expectInvalidModulus(verifyModulus(armored), /nothing before or after/);
  });

  test("rejects a non-string", async () => {
    await expectInvalidModulus(verifyModulus(42 as unknown as string), /must be/);
  });

  test("rejects a malformed modulus key", async () => {
    await expectInvalidModulus(
      verifyModulus(webClients.SERVER_MODULUS, { modulusKey: "not a key" }),
      /Modulus key/,
    );
  });
});

describe("verifyModulus with a test key", () => {
  let signingKey: { privateKey: string; publicKey: string };
  let otherKey: { privateKey: string; publicKey: string };

  beforeAll(async () => {
    signingKey = await generateKey({ userIDs: [{ name: "modulus" }], format: "armored" });
    otherKey = await generateKey({ userIDs: [{ name: "other" }], format: "armored" });
  });

  async function signText(text: string, keys: string[]): Promise<string> {
    const signingKeys = await Promise.all(keys.map((armoredKey) => readPrivateKey({ armoredKey })));
    return sign({ message: await createCleartextMessage({ text }), signingKeys });
  }

  test("accepts a valid modulus signed by the given key", async () => {
    const armored = await signText(toBase64(validModulus), [signingKey.privateKey]);

    const modulus = await verifyModulus(armored, { modulusKey: signingKey.publicKey });

    expect(modulus).toEqual(validModulus);
  });

  test("rejects another signer", async () => {
    const armored = await signText(toBase64(validModulus), [otherKey.privateKey]);

    await expectInvalidModulus(
      verifyModulus(armored, { modulusKey: signingKey.publicKey }),
      /does not verify/,
    );
  });

  test("rejects Proton's key for a test signature", async () => {
    const armored = await signText(toBase64(validModulus), [signingKey.privateKey]);

    await expectInvalidModulus(verifyModulus(armored), /does not verify/);
  });

  test("rejects an extra signer", async () => {
    const armored = await signText(toBase64(validModulus), [
      signingKey.privateKey,
      otherKey.privateKey,
    ]);

    await expectInvalidModulus(
      verifyModulus(armored, { modulusKey: signingKey.publicKey }),
      /does not verify/,
    );
  });

  test("rejects a cached modulus for another key", async () => {
    await verifyModulus(webClients.SERVER_MODULUS);

    await expectInvalidModulus(
      verifyModulus(webClients.SERVER_MODULUS, { modulusKey: signingKey.publicKey }),
      /does not verify/,
    );
  });

  test("returns a copy of a cached modulus", async () => {
    const first = await verifyModulus(webClients.SERVER_MODULUS);
    first.fill(0);

    const second = await verifyModulus(webClients.SERVER_MODULUS);

    expect(toHex(second)).toBe(webClients.intermediates.modulus_LE_hex);
  });

  test("rejects an altered body", async () => {
    const armored = await signText(toBase64(validModulus), [signingKey.privateKey]);
    const body = toBase64(validModulus);
    const altered = armored.replace(body, `${body.slice(0, 10)}A${body.slice(11)}`);
    expect(altered).not.toBe(armored);

    await expectInvalidModulus(
      verifyModulus(altered, { modulusKey: signingKey.publicKey }),
      /does not verify/,
    );
  });

  const modulusValue = littleEndianToBigInt(validModulus);
  const wrongModuli: [string, string, RegExp][] = [
    ["malformed base64", "not*base64", /not valid base64/],
    [
      "base64 with whitespace",
      `${toBase64(validModulus).slice(0, 20)} ${toBase64(validModulus).slice(20)}`,
      /not valid base64/,
    ],
    ["128 bytes", toBase64(validModulus.slice(0, 128)), /128 bytes/],
    ["257 bytes", toBase64(new Uint8Array([...validModulus, 1])), /257 bytes/],
    ["a 2047-bit modulus", toBase64(bigIntToLittleEndian(modulusValue >> 1n, 256)), /2047 bits/],
    [
      "a modulus that is 7 mod 8",
      toBase64(bigIntToLittleEndian(modulusValue + 4n, 256)),
      /mod 8 is 7/,
    ],
    [
      "a modulus that is 1 mod 8",
      toBase64(bigIntToLittleEndian(modulusValue - 2n, 256)),
      /mod 8 is 1/,
    ],
    [
      "a composite (N-1)/2",
      toBase64(bigIntToLittleEndian(modulusValue + 8n, 256)),
      /\(N-1\)\/2 is composite/,
    ],
    ["a prime (N-1)/2 with a composite N", compositeCandidate.modulus_LE_base64, /N is composite/],
  ];

  test.each(wrongModuli)("rejects %s", async (_name, body, message) => {
    const armored = await signText(body, [signingKey.privateKey]);

    await expectInvalidModulus(
      verifyModulus(armored, { modulusKey: signingKey.publicKey }),
      message,
    );
  });
});
