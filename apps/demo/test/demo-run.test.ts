import { readdir } from "node:fs/promises";
import { DEMO_USERS } from "@proton/fake-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, createTempHome, runCli } from "./helpers/run-cli.js";

const STEP_NAMES = [
  "ping",
  "login",
  "second-factor",
  "user-and-addresses",
  "save-session",
  "load-session",
  "auto-refresh",
  "refresh",
  "rate-limit",
  "human-verification",
  "logout",
];

interface JsonReport {
  ok: boolean;
  steps: { name: string; ok: boolean; ms: number; detail: string }[];
}

let home: Awaited<ReturnType<typeof createTempHome>>;

beforeAll(async () => {
  home = await createTempHome();
});

afterAll(async () => {
  await home.remove();
});

describe("default run with --json", () => {
  let result: CliResult;
  let report: JsonReport;

  beforeAll(async () => {
    result = await runCli(["--json"], { home: home.path });
    report = JSON.parse(result.stdout) as JsonReport;
  });

  it("exits 0", () => {
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("reports every step as passed", () => {
    expect(report.ok).toBe(true);
    expect(report.steps.map((step) => step.name)).toEqual(STEP_NAMES);
    for (const step of report.steps) {
      expect(step.ok, `${step.name}: ${step.detail}`).toBe(true);
      expect(Number.isInteger(step.ms)).toBe(true);
      expect(step.ms).toBeGreaterThanOrEqual(0);
      expect(step.detail).not.toBe("");
    }
  });

  it("waits out the rate limit", () => {
    const rateLimit = report.steps.find((step) => step.name === "rate-limit");
    expect(rateLimit?.ms).toBeGreaterThanOrEqual(950);
    expect(rateLimit?.detail).toContain("Retry-After: 1");
  });

  it("prints only the JSON document", () => {
    expect(result.stdout.trim().startsWith("{")).toBe(true);
    expect(result.stdout).not.toContain("\u001b");
  });

  it("leaves the home folder untouched", async () => {
    expect(await readdir(home.path)).toEqual([]);
  });
});

describe("default run as text", () => {
  let result: CliResult;

  beforeAll(async () => {
    result = await runCli(["--verbose"], { home: home.path });
  });

  it("prints one line per step", () => {
    expect(result.code).toBe(0);
    const stepLines = result.stdout.split("\n").filter((line) => /^(ok|FAIL) /.test(line));
    expect(stepLines).toHaveLength(STEP_NAMES.length);
    STEP_NAMES.forEach((name, index) => {
      expect(stepLines[index]).toMatch(new RegExp(`^ok {3}${name} +\\d+ ms  \\S`));
    });
    expect(result.stdout).toContain(`All ${STEP_NAMES.length} steps passed in `);
  });

  it("writes no spinner to a pipe", () => {
    expect(result.stdout).not.toContain("\r");
    expect(result.stdout).not.toContain("\u001b");
  });

  it("logs requests without secrets", () => {
    expect(result.stderr).toContain("[info] Logged in");
    expect(result.stderr).toContain("[info] Refreshed the tokens");
    expect(result.stderr).toContain("[fake-api] ");
    for (const user of DEMO_USERS) {
      expect(result.stdout).not.toContain(user.password);
      expect(result.stderr).not.toContain(user.password);
    }
    for (const secretWord of ["Bearer", "AccessToken", "RefreshToken", "ClientProof"]) {
      expect(result.stdout).not.toContain(secretWord);
      expect(result.stderr).not.toContain(secretWord);
    }
  });
});

describe("default run with a failing step", () => {
  const fault = JSON.stringify({ route: "POST /auth/v4/2fa", kind: "status", status: 500 });

  it("names the step in --json and exits 1", async () => {
    const result = await runCli(["--json", "--fault", fault], { home: home.path });
    const report = JSON.parse(result.stdout) as JsonReport;

    expect(result.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.steps.map((step) => step.name)).toEqual(["ping", "login", "second-factor"]);
    expect(report.steps[2]?.ok).toBe(false);
    expect(report.steps[2]?.detail).toContain("HTTP 500");
  });

  it("names the step in text and exits 1", async () => {
    const result = await runCli(["--fault", fault], { home: home.path });

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL second-factor +\d+ ms {2}.*HTTP 500/m);
    expect(result.stdout).toContain("Step second-factor failed: ");
  });

  it("rejects an invalid fault with exit 2", async () => {
    const result = await runCli(["--fault", '{"route":"*","kind":"nope"}'], { home: home.path });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Invalid --fault 1: ");
    expect(result.stdout).toBe("");
  });
});
