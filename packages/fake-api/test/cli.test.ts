import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FakeApi } from "../src/index.js";
import { call, login } from "./helpers/api-client.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

interface Started {
  child: ChildProcess;
  first: { url: string; pin: string; caFile: string; controlUrl: string };
  stderr: string[];
}

const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run "pnpm --filter @proton/fake-api build" first.`);
  }
});

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
    }
  }
});

/** Starts the CLI and waits for its first stdout line. */
async function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const stderr: string[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) =>
    stderr.push(line),
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(lines, "line")) as [string];
  return { child, first: JSON.parse(line), stderr };
}

async function asFakeApi(started: Started): Promise<FakeApi> {
  const { readFile } = await import("node:fs/promises");
  return {
    ...started.first,
    ca: await readFile(started.first.caFile, "utf8"),
  } as unknown as FakeApi;
}

describe("fake-api CLI", () => {
  it("prints url, pin and caFile, then serves the demo users", async () => {
    const started = await startCli(["--port", "0"]);
    const api = await asFakeApi(started);

    expect(started.first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(started.first.pin).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(started.first.caFile).toMatch(/ca\.pem$/);
    expect(started.first.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await login(api, "alice", "alice-password")).response.status).toBe(200);
  });

  it("logs each request on stderr without secrets", async () => {
    const started = await startCli([]);
    const api = await asFakeApi(started);
    const session = await login(api, "alice", "alice-password");
    await call(api, "GET", "/core/v4/users", { headers: session.auth });
    for (
      let wait = 0;
      wait < 100 && !started.stderr.some((line) => line.includes("/core/v4/users"));
      wait++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const log = started.stderr.join("\n");

    expect(log).toMatch(/POST \/auth\/v4 200 code=1000/);
    expect(log).toMatch(/GET \/core\/v4\/users 200 code=1000 .*token=access:[0-9a-f]{8}/);
    expect(log).not.toContain("alice-password");
    expect(log).not.toContain(session.accessToken);
    expect(log).not.toContain(session.refreshToken);
  });

  it("serves plain HTTP with --http", async () => {
    const started = await startCli(["--http"]);
    const api = await asFakeApi(started);

    expect(started.first.url).toMatch(/^http:\/\//);
    expect((await call(api, "GET", "/tests/ping")).status).toBe(200);
  });

  it("reads users from --users", async () => {
    const folder = await mkdtemp(join(tmpdir(), "fake-api-cli-"));
    try {
      const file = join(folder, "users.json");
      await writeFile(file, JSON.stringify({ users: [{ username: "zed", password: "zed-pass" }] }));
      const started = await startCli(["--users", file]);
      const api = await asFakeApi(started);

      expect((await login(api, "zed", "zed-pass")).response.status).toBe(200);
      expect((await login(api, "alice", "alice-password")).response.body["Code"]).toBe(8002);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("applies --token-lifetime", async () => {
    const started = await startCli(["--token-lifetime", "60"]);
    const api = await asFakeApi(started);

    expect((await login(api, "alice", "alice-password")).response.body["ExpiresIn"]).toBe(60);
  });

  it("stops cleanly on SIGINT and SIGTERM", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const started = await startCli([]);
      started.child.kill(signal);
      const [code] = (await once(started.child, "exit")) as [number | null];

      expect(code).toBe(0);
    }
  });

  it("exits with 2 and the usage on an invalid flag", async () => {
    const child = spawn(process.execPath, [CLI, "--port", "abc"], { stdio: "pipe" });
    children.push(child);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, "exit")) as [number | null];

    expect(code).toBe(2);
    expect(stderr).toContain('Invalid --port: expected a non-negative integer, got "abc".');
    expect(stderr).toContain("Usage: fake-api");
  });

  it("exits with 2 for an invalid users file", async () => {
    const folder = await mkdtemp(join(tmpdir(), "fake-api-cli-"));
    try {
      const file = join(folder, "users.json");
      await writeFile(file, JSON.stringify([{ username: "zed" }]));
      const child = spawn(process.execPath, [CLI, "--users", file], { stdio: "pipe" });
      children.push(child);
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [code] = (await once(child, "exit")) as [number | null];

      expect(code).toBe(2);
      expect(stderr).toContain("Invalid users[0].password");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
