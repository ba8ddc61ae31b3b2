import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { generateTotp } from "@proton/api";
import type { FakeApi } from "@proton/fake-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPassword, demoTotpSecret, startDemoFakeApi, trustFlags } from "./helpers/fake-api.js";
import { CLI, createTempHome } from "./helpers/run-cli.js";

// These tests run the CLI in a pseudo-terminal made by `script`, so that standard input and
// output are terminals as in an interactive shell.
// NOTE: they need the util-linux `script` (Linux); the BSD and macOS `script` takes other options.

interface TerminalRun {
  readonly code: number | null;
  readonly output: string;
}

let fake: FakeApi;
let home: Awaited<ReturnType<typeof createTempHome>>;

beforeAll(async () => {
  fake = await startDemoFakeApi();
  home = await createTempHome();
});

afterAll(async () => {
  await fake.close();
  await home.remove();
});

/**
 * Runs the CLI in a pseudo-terminal. Each time the output ends with a key of `answers`, the
 * value is typed. An answer is typed only after its prompt appears, because the terminal
 * echoes what arrives before the CLI turns echo off.
 */
function runInTerminal(
  args: string[],
  answers: Record<string, string>,
  env: Record<string, string> = {},
): Promise<TerminalRun> {
  const command = [process.execPath, CLI, ...args].map(quoteForShell).join(" ");
  const child = spawn(
    "script",
    ["--quiet", "--flush", "--return", "--command", command, "/dev/null"],
    {
      env: { ...process.env, HOME: home.path, XDG_CONFIG_HOME: "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
      timeout: 30_000,
    },
  );

  let output = "";
  const pending = new Map(Object.entries(answers));
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    for (const [prompt, answer] of pending) {
      if (withoutEscapes(output).trimEnd().endsWith(prompt.trimEnd())) {
        pending.delete(prompt);
        child.stdin.write(answer);
      }
    }
  });

  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** ANSI control sequences (ESC, "[", parameters, a letter), such as cursor moves. */
const CONTROL_SEQUENCE = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*[A-Za-z]`, "g");

/** Removes the control sequences that readline writes after a prompt. */
function withoutEscapes(text: string): string {
  return text.replace(CONTROL_SEQUENCE, "");
}

function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

describe("in a terminal", () => {
  it("prompts for the password without echo", async () => {
    const password = demoPassword("alice");
    const run = await runInTerminal(
      ["login", "--api-url", fake.url, "--username", "alice", ...trustFlags(fake)],
      { "Password for alice:": `${password}\r` },
    );

    expect(run.code).toBe(0);
    expect(run.output).toContain("Password for alice: ");
    expect(run.output).toContain("Logged in as alice");
    expect(run.output).not.toContain(password);
  });

  it("prompts for the 2FA code after the password", async () => {
    const run = await runInTerminal(
      ["login", "--api-url", fake.url, "--username", "bob", ...trustFlags(fake)],
      {
        "Password for bob:": `${demoPassword("bob")}\r`,
        "2FA code:": `${generateTotp(demoTotpSecret("bob"))}\r`,
      },
    );

    expect(run.code).toBe(0);
    expect(run.output).toContain("Logged in as bob");
    expect(run.output).not.toContain(demoPassword("bob"));
  });

  it("stops at Ctrl+C with exit 1", async () => {
    const run = await runInTerminal(
      ["login", "--api-url", fake.url, "--username", "alice", ...trustFlags(fake)],
      { "Password for alice:": "\u0003" },
    );

    expect(run.code).toBe(1);
    expect(run.output).toContain("Cancelled at the prompt.");
  });

  it("draws the spinner during the default run", async () => {
    const run = await runInTerminal([], {});

    expect(run.code).toBe(0);
    expect(run.output).toContain("Logging in as bob with SRP");
    expect(run.output).toContain("\r\u001b[K");
    expect(run.output).toContain("All 11 steps passed");
  });

  it("stops the default run at Ctrl+C with exit 130", async () => {
    const temporary = await createTempHome();
    try {
      const run = await runInTerminal(
        [],
        { "Sending the TOTP code": "\u0003" },
        { TMPDIR: temporary.path },
      );

      expect(run.code).toBe(130);
      expect(run.output).toContain("Interrupted; the demo stopped before its last step.");
      expect(run.output).not.toContain("All 11 steps passed");
      expect(await readdir(temporary.path)).toEqual([]);
    } finally {
      await temporary.remove();
    }
  });
});
