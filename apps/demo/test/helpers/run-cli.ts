import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The compiled CLI; `test/global-setup.ts` builds it. */
export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to standard input, which is then closed. Default: empty input. */
  readonly input?: string;
  /** HOME of the CLI process. `XDG_CONFIG_HOME` is unset unless `env` sets it. */
  readonly home: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Limit of one CLI run, in milliseconds; the default run takes about 3 s. */
const RUN_TIMEOUT_MS = 30_000;

/**
 * Runs the CLI with Node.js and returns its exit code and output. The environment points HOME
 * at `options.home` and drops XDG_CONFIG_HOME and APPDATA, so the machine's config directory is
 * never read or written.
 */
export function runCli(args: readonly string[], options: RunOptions): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== "XDG_CONFIG_HOME" && name !== "APPDATA") {
      env[name] = value;
    }
  }
  Object.assign(env, { HOME: options.home, USERPROFILE: options.home }, options.env);

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: RUN_TIMEOUT_MS,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Creates an empty temporary folder to serve as HOME; `remove` deletes it. */
export async function createTempHome(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "proton-demo-test-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
