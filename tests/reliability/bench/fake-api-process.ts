import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import type { RequestLogEntry } from "@proton/fake-api";

/** The benchmark account. */
export const BENCH_USER = { username: "bench", password: "bench-password" } as const;

/** The fake API running in a child process, so its work does not share the client's event loop. */
export interface FakeApiProcess {
  readonly url: string;
  readonly pin: string;
  readonly ca: string;
  expireAccessTokens(): Promise<void>;
  requestLog(): Promise<RequestLogEntry[]>;
  clearRequestLog(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the fake API's command-line server (`dist/cli.js` of `@proton/fake-api`) with the
 * benchmark user, and reads its address and pin from the first line it prints.
 */
export async function startFakeApiProcess(): Promise<FakeApiProcess> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve("@proton/fake-api")), "cli.js");
  const usersFile = join(tmpdir(), `proton-bench-users-${process.pid}.json`);
  await writeFile(usersFile, JSON.stringify([BENCH_USER]));

  // The server writes one stderr line per request; it is discarded so it cannot fill a pipe.
  const child = spawn(process.execPath, [cli, "--users", usersFile], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const firstLine = await readFirstLine(child);
  const ready = JSON.parse(firstLine) as {
    url: string;
    pin: string;
    caFile: string;
    controlUrl: string;
  };
  const ca = await readFile(ready.caFile, "utf8");

  async function control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${ready.controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      throw new Error(`Control API ${method} ${path} failed with HTTP ${response.status}.`);
    }
    return response.json();
  }

  return {
    url: ready.url,
    pin: ready.pin,
    ca,
    async expireAccessTokens() {
      await control("POST", "/expire-access-tokens", {});
    },
    async requestLog() {
      const { entries } = (await control("GET", "/requests")) as { entries: RequestLogEntry[] };
      return entries;
    },
    async clearRequestLog() {
      await control("DELETE", "/requests");
    },
    async stop() {
      child.kill("SIGTERM");
      if (child.exitCode === null) {
        await once(child, "exit");
      }
    },
  };
}

async function readFirstLine(child: ChildProcess): Promise<string> {
  if (child.stdout === null) {
    throw new Error("The fake API process has no stdout.");
  }
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`The fake API process exited with code ${String(code)} before it started.`);
  });
  const first = new Promise<string>((resolve) => lines.once("line", resolve));
  const line = await Promise.race([first, exited]);
  lines.close();
  return line;
}
