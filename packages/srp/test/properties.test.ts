import { SrpError } from "@proton/errors";
import fc from "fast-check";
import { bcrypt as wasmBcrypt } from "hash-wasm";
import { describe, expect, test } from "vitest";
import { bcryptHashJs, bcryptHashWasm } from "../src/bcrypt.js";
import {
  computeSrpProofs,
  computeVerifier,
  createSrpServerSession,
  hashPassword,
  verifyServerProof,
} from "../src/index.js";
import webClients from "./fixtures/webclients.json" with { type: "json" };
import { fromHex, toBase64 } from "./helpers.js";

const modulus = fromHex(webClients.intermediates.modulus_LE_hex);
const encoder = new TextEncoder();

/** Each run costs two or three bcrypt hashes (about 70 ms each), so runs are few. */
const RUNS = 12;
const TIMEOUT_MS = 60_000;

const whitespace = fc.string({
  unit: fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u3000", "\ufeff"),
  minLength: 1,
  maxLength: 20,
});

/** Passwords of 1 to 200 UTF-8 bytes: any Unicode text, whitespace runs, and mixes of both. */
const password = fc
  .oneof(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }),
    whitespace,
    fc
      .tuple(whitespace, fc.string({ unit: "grapheme", maxLength: 40 }), whitespace)
      .map((parts) => parts.join("")),
    fc.string({ unit: "grapheme-ascii", minLength: 60, maxLength: 200 }),
  )
  .filter((value) => {
    const length = encoder.encode(value).length;
    return length >= 1 && length <= 200;
  });

const username = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });
const salt = fc.uint8Array({ minLength: 10, maxLength: 10 }).map(toBase64);
const version = fc.constantFrom(0, 1, 2, 3, 4);

/** Encodes the first 72 UTF-8 bytes of a password, the part that bcrypt reads, as base64. */
function bcryptPrefix(value: string): string {
  return toBase64(encoder.encode(value).slice(0, 72));
}

describe("SRP properties", () => {
  test(
    "passwords of 0 to 200 bytes",
    async () => {
      // Passwords of 0 to 200 bytes: the empty one is rejected, every other one hashes.
      const anyLength = fc.oneof(fc.constant(""), password);
      await fc.assert(
        fc.asyncProperty(anyLength, salt, async (secret, saltValue) => {
          const attempt = hashPassword({ version: 4, password: secret, salt: saltValue, modulus });

          if (secret === "") {
            const error = await attempt.then(
              () => undefined,
              (caught: unknown) => caught,
            );
            expect(SrpError.isInstance(error)).toBe(true);
            expect((error as SrpError).reason).toBe("invalid-password");
          } else {
            expect(await attempt).toHaveLength(256);
          }
        }),
        {
          numRuns: RUNS,
          examples: [
            ["", "AAAAAAAAAAAAAA=="],
            ["\u00a0", "AAAAAAAAAAAAAA=="],
          ],
        },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "client and server agree",
    async () => {
      await fc.assert(
        fc.asyncProperty(username, password, salt, version, async (name, secret, saltValue, v) => {
          const params = { version: v, password: secret, salt: saltValue, username: name, modulus };
          const verifier = await computeVerifier(params);
          const server = await createSrpServerSession({ modulus, verifier });

          const client = computeSrpProofs({
            modulus,
            serverEphemeral: server.serverEphemeral,
            hashedPassword: await hashPassword(params),
          });
          const serverProof = await server.checkClientProof(
            client.clientEphemeral,
            client.clientProof,
          );

          expect(verifyServerProof(client.expectedServerProof, serverProof)).toBe(true);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "wrong password is rejected",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          username,
          password,
          password,
          salt,
          async (name, secret, guess, saltValue) => {
            fc.pre(bcryptPrefix(secret) !== bcryptPrefix(guess));
            const params = { version: 4, salt: saltValue, username: name, modulus };
            const verifier = await computeVerifier({ ...params, password: secret });
            const server = await createSrpServerSession({ modulus, verifier });

            const client = computeSrpProofs({
              modulus,
              serverEphemeral: server.serverEphemeral,
              hashedPassword: await hashPassword({ ...params, password: guess }),
            });
            const error = await server
              .checkClientProof(client.clientEphemeral, client.clientProof)
              .then(
                () => undefined,
                (caught: unknown) => caught,
              );

            expect(SrpError.isInstance(error)).toBe(true);
            expect((error as SrpError).reason).toBe("client-proof-mismatch");
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "bytes after the 72nd are ignored",
    async () => {
      await fc.assert(
        fc.asyncProperty(password, password, salt, async (head, tail, saltValue) => {
          fc.pre(encoder.encode(head).length >= 72);
          const params = { version: 4, salt: saltValue, modulus };
          const prefix = new TextDecoder().decode(encoder.encode(head).slice(0, 72));
          fc.pre(encoder.encode(prefix).length === 72);

          const first = await hashPassword({ ...params, password: prefix });
          const second = await hashPassword({ ...params, password: prefix + tail });

          expect(toBase64(second)).toBe(toBase64(first));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "bcryptjs and hash-wasm agree",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          password,
          fc.uint8Array({ minLength: 16, maxLength: 16 }),
          async (secret, saltBytes) => {
            const expected = await bcryptHashJs(secret, saltBytes);

            expect(await bcryptHashWasm(wasmBcrypt, secret, saltBytes)).toBe(expected);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});
