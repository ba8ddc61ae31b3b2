import { SrpError } from "@proton/errors";
import { describe, expect, test } from "vitest";

import {
  cleanUsername,
  computeKeyPassword,
  getAuthVersionWithFallback,
  getSrp,
  hashPassword,
} from "../src/index.js";
import webClients from "./fixtures/webclients.json" with { type: "json" };
import { toBase64 } from "./helpers.js";

const modulus = new Uint8Array(256);
const salt = "u6Jw9fM8sdKHJg==";

async function caught(attempt: Promise<unknown>): Promise<unknown> {
  return attempt.then(
    () => undefined,
    (error: unknown) => error,
  );
}

function hash(version: number, password: string, username = "user1"): Promise<Uint8Array> {
  return hashPassword({ version, password, username, salt, modulus });
}

describe("hashPassword input", () => {
  test("rejects an empty password", async () => {
    const error = await caught(hash(4, ""));

    expect(SrpError.isInstance(error)).toBe(true);
    expect((error as SrpError).reason).toBe("invalid-password");
  });

  test("rejects an unpaired surrogate", async () => {
    const error = await caught(hash(4, "abc\uD800def"));

    expect((error as SrpError).reason).toBe("invalid-password");
  });

  test.each([5, -1, 1.5, Number.NaN, 100])("rejects auth version %s", async (version) => {
    const error = await caught(hash(version, "secret"));

    expect(SrpError.isInstance(error)).toBe(true);
    expect((error as SrpError).reason).toBe("unsupported-auth-version");
    expect((error as SrpError).message).toMatch(/Supported versions are 0 to 4/);
  });

  test.each([0, 1, 2])("version %i requires a username", async (version) => {
    const attempt = hashPassword({ version, password: "secret", modulus });

    await expect(attempt).rejects.toThrow(/username is required/);
  });

  test("rejects a 255-byte modulus", async () => {
    const attempt = hashPassword({
      version: 4,
      password: "secret",
      salt,
      modulus: modulus.slice(1),
    });

    await expect(attempt).rejects.toThrow(TypeError);
  });

  test("versions 3 and 4 ignore the username", async () => {
    const first = await hash(4, "secret", "alice");
    const second = await hash(4, "secret", "bob");

    expect(toBase64(first)).toBe(toBase64(second));
  });
});

describe("hashPassword bytes", () => {
  const base72 = "a".repeat(72);

  test("ignores bytes after the 72nd", async () => {
    const first = await hash(4, `${base72}one`);
    const second = await hash(4, `${base72}two`);

    expect(toBase64(first)).toBe(toBase64(second));
  });

  test("uses the 72nd byte", async () => {
    const first = await hash(4, `${"a".repeat(71)}x`);
    const second = await hash(4, `${"a".repeat(71)}y`);

    expect(toBase64(first)).not.toBe(toBase64(second));
  });

  test("counts UTF-8 bytes, not characters", async () => {
    // 36 two-byte characters fill the 72 bytes, so what follows is ignored.
    const first = await hash(4, `${"é".repeat(36)}one`);
    const second = await hash(4, `${"é".repeat(36)}two`);
    const shorter = await hash(4, `${"é".repeat(35)}one`);
    const shorterOther = await hash(4, `${"é".repeat(35)}two`);

    expect(toBase64(first)).toBe(toBase64(second));
    expect(toBase64(shorter)).not.toBe(toBase64(shorterOther));
  });

  test("keeps surrounding whitespace", async () => {
    const plain = await hash(4, "secret");
    const padded = await hash(4, " secret ");

    expect(toBase64(plain)).not.toBe(toBase64(padded));
  });

  test("does not normalize Unicode", async () => {
    const composed = await hash(4, "caf\u00e9");
    const decomposed = await hash(4, "cafe\u0301");

    expect(toBase64(composed)).not.toBe(toBase64(decomposed));
  });

  test("version 2 cleans the username", async () => {
    const cleaned = await hash(2, "secret", "John.Doe_-x");
    const plain = await hash(1, "secret", "johndoex");

    expect(toBase64(cleaned)).toBe(toBase64(plain));
  });

  test("version 1 lower-cases the username", async () => {
    const upper = await hash(1, "secret", "USER1");
    const lower = await hash(1, "secret", "user1");

    expect(toBase64(upper)).toBe(toBase64(lower));
  });
});

describe("cleanUsername", () => {
  test.each([
    ["John.Doe", "johndoe"],
    ["a-b_c.d", "abcd"],
    ["plain", "plain"],
    ["UPPER", "upper"],
    ["..--__", ""],
  ])("%s becomes %s", (input, expected) => {
    expect(cleanUsername(input)).toBe(expected);
  });
});

describe("getAuthVersionWithFallback", () => {
  test.each([1, 2, 3, 4])("known version %i is final", (version) => {
    expect(getAuthVersionWithFallback({ Version: version }, "john.doe")).toEqual({
      version,
      done: true,
    });
  });

  test("version 0 with a dotted name tries 2, 1, 0", () => {
    const first = getAuthVersionWithFallback({ Version: 0 }, "john.doe");
    const second = getAuthVersionWithFallback({ Version: 0 }, "john.doe", first.version);
    const third = getAuthVersionWithFallback({ Version: 0 }, "john.doe", second.version);

    expect(first).toEqual({ version: 2, done: false });
    expect(second).toEqual({ version: 1, done: false });
    expect(third).toEqual({ version: 0, done: true });
  });

  test("version 0 with a clean name skips 1", () => {
    const first = getAuthVersionWithFallback({ Version: 0 }, "JohnDoe");
    const second = getAuthVersionWithFallback({ Version: 0 }, "JohnDoe", first.version);

    expect(first).toEqual({ version: 2, done: false });
    expect(second).toEqual({ version: 0, done: true });
  });

  test("throws after the last candidate", () => {
    expect(() => getAuthVersionWithFallback({ Version: 0 }, "john", 0)).toThrow(RangeError);
  });
});

describe("computeKeyPassword input", () => {
  test("rejects an empty password", async () => {
    const error = await caught(computeKeyPassword("", webClients.computeKeyPassword.salt));

    expect((error as SrpError).reason).toBe("invalid-password");
  });

  test.each([
    ["not base64", "ajHO5Xshwb9h9DcAExIkbg"],
    ["10 bytes", "u6Jw9fM8sdKHJg=="],
    ["17 bytes", toBase64(new Uint8Array(17))],
  ])("rejects a key salt %s", async (_name, keySalt) => {
    await expect(computeKeyPassword("secret", keySalt)).rejects.toThrow(/16 bytes/);
  });

  test("returns 31 characters", async () => {
    const result = await computeKeyPassword("secret", webClients.computeKeyPassword.salt);

    expect(result).toHaveLength(31);
  });
});

describe("secrets in errors", () => {
  const password = "hunter2-very-secret";

  test("wrong-input errors never contain the password", async () => {
    const attempts = [
      hash(9, password),
      hashPassword({ version: 4, password, salt: "bad", modulus }),
      hashPassword({ version: 1, password, modulus }),
      computeKeyPassword(password, "bad"),
      getSrp(
        { Version: 4, Modulus: webClients.SERVER_MODULUS_FAKE, ServerEphemeral: "", Salt: salt },
        { username: "user1", password },
      ),
      getSrp(
        { Version: 4, Modulus: webClients.SERVER_MODULUS, ServerEphemeral: "AAAA", Salt: salt },
        { username: "user1", password },
      ),
    ];

    for (const attempt of attempts) {
      const error = await caught(attempt);
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).not.toContain(password);
      expect(JSON.stringify(error)).not.toContain(password);
      expect(String((error as Error).stack)).not.toContain(password);
    }
  });
});
