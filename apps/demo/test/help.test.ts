import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempHome, runCli } from "./helpers/run-cli.js";

let home: Awaited<ReturnType<typeof createTempHome>>;

beforeAll(async () => {
  home = await createTempHome();
});

afterAll(async () => {
  await home.remove();
});

describe("--help", () => {
  const commands = [[], ["login"], ["whoami"], ["request"], ["refresh"], ["logout"]];

  for (const command of commands) {
    it(`documents ${command[0] ?? "the default run"}`, async () => {
      const result = await runCli([...command, "--help"], { home: home.path });

      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Usage: proton-demo");
      expect(result.stdout).toContain("Exit codes:");
      expect(result.stdout).toContain("3  not logged in, or the session has ended");
      expect(result.stderr).toBe("");
    });
  }

  it("lists the subcommands", async () => {
    const result = await runCli(["--help"], { home: home.path });

    for (const name of ["login", "whoami", "request", "refresh", "logout"]) {
      expect(result.stdout).toMatch(new RegExp(`^ {2}${name}\\b`, "m"));
    }
  });
});

describe("command line errors", () => {
  it("rejects an unknown option with exit 2", async () => {
    const result = await runCli(["--no-such-option"], { home: home.path });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--no-such-option'");
  });

  it("rejects an unknown command with exit 2", async () => {
    const result = await runCli(["whoareyou"], { home: home.path });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "whoareyou"');
  });

  it("rejects a missing argument with exit 2", async () => {
    const result = await runCli(["request"], { home: home.path });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'endpoint'");
  });
});
