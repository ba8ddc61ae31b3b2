import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeApiInputError, readUsersFile, startFakeApi } from "../src/index.js";
import { validateUserInput } from "../src/user-input.js";

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "fake-api-users-"));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function usersFile(content: string): Promise<string> {
  const file = join(folder, `users-${Math.random().toString(16).slice(2)}.json`);
  await writeFile(file, content);
  return file;
}

describe("validateUserInput", () => {
  it.each([
    [null, "user", /expected an object/],
    [{ password: "p" }, "user.username", /non-empty string/],
    [{ username: "a b", password: "p" }, "user.username", /without spaces/],
    [{ username: "a", password: "" }, "user.password", /non-empty string/],
    [{ username: "a", password: "p", authVersion: 5 }, "user.authVersion", /0, 1, 2, 3 or 4/],
    [{ username: "a", password: "p", totpSecret: "not base32!" }, "totpSecret", /base32/],
    [{ username: "a", password: "p", securityKey: "yes" }, "user.securityKey", /true or false/],
    [{ username: "a", password: "p", passwordMode: 3 }, "user.passwordMode", /1 or 2/],
    [{ username: "a", password: "p", email: "nope" }, "user.email", /name@proton\.me/],
    [{ username: "a", password: "p", pasword: "typo" }, "user.pasword", /unknown field/],
  ])("rejects %j", (input, field, message) => {
    let caught: unknown;
    try {
      validateUserInput(input);
    } catch (error) {
      caught = error;
    }

    expect(FakeApiInputError.isInstance(caught)).toBe(true);
    expect((caught as FakeApiInputError).field).toBe(field);
    expect((caught as FakeApiInputError).message).toMatch(message);
  });

  it("keeps a valid user unchanged", () => {
    const user = {
      username: "ann",
      password: "pw",
      authVersion: 2,
      totpSecret: "JBSWY3DPEHPK3PXP",
      securityKey: true,
      humanVerification: false,
      passwordMode: 2,
      displayName: "Ann",
      email: "ann@example.test",
    };

    expect(validateUserInput(user)).toEqual(user);
  });

  it("never puts the password in an error", () => {
    let caught: unknown;
    try {
      validateUserInput({ username: "a", password: "hunter2-secret", authVersion: 9 });
    } catch (error) {
      caught = error;
    }

    expect(String((caught as Error).message)).not.toContain("hunter2-secret");
    expect(JSON.stringify((caught as FakeApiInputError).toJSON())).not.toContain("hunter2-secret");
  });
});

describe("readUsersFile", () => {
  it("reads an array", async () => {
    const file = await usersFile(JSON.stringify([{ username: "a", password: "p" }]));

    expect(await readUsersFile(file)).toEqual([{ username: "a", password: "p" }]);
  });

  it("reads an object with a users array", async () => {
    const file = await usersFile(JSON.stringify({ users: [{ username: "b", password: "q" }] }));

    expect(await readUsersFile(file)).toEqual([{ username: "b", password: "q" }]);
  });

  it("names the index of an invalid user", async () => {
    const file = await usersFile(
      JSON.stringify([{ username: "a", password: "p" }, { username: "b" }]),
    );

    await expect(readUsersFile(file)).rejects.toThrow("Invalid users[1].password");
  });

  it("rejects invalid JSON", async () => {
    const file = await usersFile("{");

    await expect(readUsersFile(file)).rejects.toThrow(/is not valid JSON/);
  });

  it("rejects a missing file", async () => {
    await expect(readUsersFile(join(folder, "missing.json"))).rejects.toThrow(/cannot read/);
  });

  it("rejects JSON without users", async () => {
    const file = await usersFile(JSON.stringify({ people: [] }));

    await expect(readUsersFile(file)).rejects.toThrow(/array of users/);
  });
});

describe("startFakeApi options", () => {
  it("rejects a duplicate username", async () => {
    await expect(
      startFakeApi({
        users: [
          { username: "dup", password: "a" },
          { username: "DUP", password: "b" },
        ],
      }),
    ).rejects.toThrow('Invalid users[1].username: a user named "dup" already exists.');
  });

  it("rejects an invalid port", async () => {
    await expect(startFakeApi({ port: 70_000 })).rejects.toThrow(/Invalid port/);
  });

  it("rejects a non-positive token lifetime", async () => {
    await expect(startFakeApi({ tokenLifetimeSeconds: 0 })).rejects.toThrow(
      /Invalid tokenLifetimeSeconds/,
    );
  });

  it("listens on the requested port", async () => {
    const first = await startFakeApi({ http: true });
    const port = Number(new URL(first.url).port);
    await first.close();

    const second = await startFakeApi({ http: true, port });
    try {
      expect(second.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await second.close();
    }
  });

  it("listens on ::1", async () => {
    const api = await startFakeApi({ host: "::1" });
    try {
      expect(api.url).toMatch(/^https:\/\/\[::1\]:\d+$/);
      const response = await import("./helpers/api-client.js").then(({ call }) =>
        call(api, "GET", "/tests/ping"),
      );
      expect(response.status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it("closes twice without error", async () => {
    const api = await startFakeApi();

    await api.close();
    await expect(api.close()).resolves.toBeUndefined();
  });
});

describe("random option", () => {
  /** Returns a seeded byte stream: SHA-256 of seed and counter, block after block. */
  function seededRandom(seed: string): (length: number) => Uint8Array {
    let counter = 0;
    return (length) => {
      const out = new Uint8Array(length);
      for (let offset = 0; offset < length; offset += 32) {
        const block = createHash("sha256").update(`${seed}:${counter++}`).digest();
        out.set(block.subarray(0, Math.min(32, length - offset)), offset);
      }
      return out;
    };
  }

  it("makes salts, UIDs and tokens repeatable", async () => {
    const { login } = await import("./helpers/api-client.js");
    const results: string[][] = [];

    for (let run = 0; run < 2; run++) {
      const api = await startFakeApi({
        users: [{ username: "seeded", password: "seeded-password" }],
        random: seededRandom("fixed seed"),
      });
      try {
        const session = await login(api, "seeded", "seeded-password");
        results.push([session.uid, session.accessToken, session.refreshToken]);
      } finally {
        await api.close();
      }
    }

    expect(results[1]).toEqual(results[0]);
    expect(new Set(results[0]).size).toBe(3);
  });
});
