import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionDump, TokenChange } from "@proton/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeSessionFile } from "../src/session-file.js";
import { createSessionFilePersister } from "../src/stored-session.js";

let folder: string;
let path: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "proton-demo-persister-"));
  path = join(folder, "session.json");
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function dumpWith(refreshToken: string | undefined): SessionDump {
  return {
    api_url: "https://127.0.0.1:1",
    appversion: "Other",
    "User-Agent": "test",
    cookies: {},
    session_data: {
      ...(refreshToken === undefined
        ? {}
        : { UID: "uid-1", AccessToken: `access-${refreshToken}`, RefreshToken: refreshToken }),
      Scope: [],
    },
  } as unknown as SessionDump;
}

function change(reason: TokenChange["reason"], refreshToken: string | undefined): TokenChange {
  return {
    reason,
    uid: refreshToken === undefined ? undefined : "uid-1",
    accessToken: refreshToken === undefined ? undefined : `access-${refreshToken}`,
    refreshToken,
    previousRefreshToken: undefined,
    scopes: [],
    dump: dumpWith(refreshToken),
  };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

describe("createSessionFilePersister", () => {
  it("writes a refreshed dump", async () => {
    await writeSessionFile(path, dumpWith("r0"));
    const persist = createSessionFilePersister(path, dumpWith("r0"));

    await persist(change("refresh", "r1"));

    const stored = JSON.parse(await readFile(path, "utf8"));
    expect(stored.session_data.RefreshToken).toBe("r1");
  });

  it("removes the file on expiry when it holds the rejected token", async () => {
    await writeSessionFile(path, dumpWith("r0"));
    const persist = createSessionFilePersister(path, dumpWith("r0"));

    await persist(change("expired", undefined));

    expect(await exists(path)).toBe(false);
  });

  it("keeps a file another process refreshed on expiry", async () => {
    const persist = createSessionFilePersister(path, dumpWith("r0"));
    await writeSessionFile(path, dumpWith("r1-from-other-process"));

    await persist(change("expired", undefined));

    const stored = JSON.parse(await readFile(path, "utf8"));
    expect(stored.session_data.RefreshToken).toBe("r1-from-other-process");
  });

  it("compares with the token of the last change", async () => {
    await writeSessionFile(path, dumpWith("r0"));
    const persist = createSessionFilePersister(path, dumpWith("r0"));
    await persist(change("refresh", "r1"));

    await persist(change("expired", undefined));

    expect(await exists(path)).toBe(false);
  });

  it("removes the file on logout", async () => {
    await writeSessionFile(path, dumpWith("r0"));
    const persist = createSessionFilePersister(path, dumpWith("r0"));

    await persist(change("logout", undefined));

    expect(await exists(path)).toBe(false);
  });
});
