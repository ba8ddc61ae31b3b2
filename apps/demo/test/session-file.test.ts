import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultSessionFilePath, writeFileAtomic } from "../src/session-file.js";
import { createTempHome } from "./helpers/run-cli.js";

describe("defaultSessionFilePath", () => {
  const cases: {
    name: string;
    platform: NodeJS.Platform;
    env: Record<string, string>;
    expected: string;
  }[] = [
    {
      name: "Linux with XDG_CONFIG_HOME",
      platform: "linux",
      env: { XDG_CONFIG_HOME: "/xdg" },
      expected: "/xdg/proton-ts/session.json",
    },
    {
      name: "Linux without XDG_CONFIG_HOME",
      platform: "linux",
      env: {},
      expected: "/home/u/.config/proton-ts/session.json",
    },
    {
      name: "Linux with a relative XDG_CONFIG_HOME",
      platform: "linux",
      env: { XDG_CONFIG_HOME: "relative" },
      expected: "/home/u/.config/proton-ts/session.json",
    },
    {
      name: "FreeBSD",
      platform: "freebsd",
      env: { XDG_CONFIG_HOME: "/xdg" },
      expected: "/xdg/proton-ts/session.json",
    },
    {
      name: "macOS",
      platform: "darwin",
      env: { XDG_CONFIG_HOME: "/xdg" },
      expected: "/home/u/Library/Application Support/proton-ts/session.json",
    },
    {
      name: "Windows with APPDATA",
      platform: "win32",
      env: { APPDATA: "C:\\Users\\u\\AppData\\Roaming" },
      expected: "C:\\Users\\u\\AppData\\Roaming\\proton-ts\\session.json",
    },
  ];

  for (const testCase of cases) {
    it(`follows ${testCase.name}`, () => {
      expect(defaultSessionFilePath(testCase.env, testCase.platform, "/home/u")).toBe(
        testCase.expected,
      );
    });
  }

  it("falls back to AppData on Windows", () => {
    expect(defaultSessionFilePath({}, "win32", "C:\\Users\\u")).toBe(
      "C:\\Users\\u\\AppData\\Roaming\\proton-ts\\session.json",
    );
  });
});

describe("writeFileAtomic", () => {
  let folder: Awaited<ReturnType<typeof createTempHome>>;

  beforeEach(async () => {
    folder = await createTempHome();
  });

  afterEach(async () => {
    await folder.remove();
  });

  it("creates the folder and a 0600 file", async () => {
    const path = join(folder.path, "a", "b", "session.json");

    await writeFileAtomic(path, "first");

    expect(await readFile(path, "utf8")).toBe("first");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder.path, "a", "b"))).mode & 0o777).toBe(0o700);
  });

  it("replaces a file and leaves no temporary file", async () => {
    const path = join(folder.path, "session.json");
    await writeFile(path, "old", { mode: 0o644 });

    await writeFileAtomic(path, "new");

    expect(await readFile(path, "utf8")).toBe("new");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(folder.path)).toEqual(["session.json"]);
  });

  it("removes the temporary file on failure", async () => {
    const path = join(folder.path, "session.json");
    await mkdir(path);

    await expect(writeFileAtomic(path, "new")).rejects.toThrow();
    expect((await stat(path)).isDirectory()).toBe(true);
    expect(await readdir(folder.path)).toEqual(["session.json"]);
  });
});
