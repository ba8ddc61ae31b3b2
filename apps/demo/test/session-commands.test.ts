import { copyFile, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FakeApi } from "@proton/fake-api";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStoredSession } from "../src/stored-session.js";
import { demoPassword, startDemoFakeApi, trustFlags } from "./helpers/fake-api.js";
import { type CliResult, createTempHome, runCli } from "./helpers/run-cli.js";

let fake: FakeApi;
let home: Awaited<ReturnType<typeof createTempHome>>;

beforeAll(async () => {
  fake = await startDemoFakeApi();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(async () => {
  home = await createTempHome();
  fake.control.clearFaults();
  const login = await run(
    [
      "login",
      "--api-url",
      fake.url,
      "--username",
      "alice",
      "--password-stdin",
      ...trustFlags(fake),
    ],
    `${demoPassword("alice")}\n`,
  );
  expect(login.code).toBe(0);
  fake.control.clearRequestLog();
});

afterEach(async () => {
  await home.remove();
});

function run(args: string[], input = ""): Promise<CliResult> {
  return runCli(args, { home: home.path, input });
}

function trustOptions(): { pin: string[]; caFile: string } {
  return { pin: [fake.pin], caFile: fake.caFile };
}

function sessionFile(): string {
  return join(home.path, ".config", "proton-ts", "session.json");
}

async function readSession(): Promise<{ session_data: Record<string, unknown> }> {
  return JSON.parse(await readFile(sessionFile(), "utf8"));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function routes(): string[] {
  return fake.control.requestLog().map((entry) => `${entry.route} ${entry.status}`);
}

describe("whoami", () => {
  it("prints the user", async () => {
    const result = await run(["whoami"]);

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("alice <alice@proton.me> (Alice)");
    expect(result.stdout).toContain(`API: ${fake.url}`);
  });

  it("prints the User object with --json", async () => {
    const result = await run(["whoami", "--json"]);

    expect(result.code).toBe(0);
    const user = JSON.parse(result.stdout);
    expect(user.Name).toBe("alice");
    expect(user.Email).toBe("alice@proton.me");
  });

  it("refreshes an expired access token and saves it", async () => {
    const before = await readSession();
    fake.control.expireAccessTokens("alice");

    const result = await run(["whoami"]);

    expect(result.code).toBe(0);
    expect(routes()).toEqual([
      "GET /core/v4/users 401",
      "POST /auth/v4/refresh 200",
      "GET /core/v4/users 200",
    ]);
    const after = await readSession();
    expect(after.session_data["AccessToken"]).not.toBe(before.session_data["AccessToken"]);
    expect(after.session_data["RefreshToken"]).not.toBe(before.session_data["RefreshToken"]);
    expect((await stat(sessionFile())).mode & 0o777).toBe(0o600);
  });

  it("reports an ended session with exit 3", async () => {
    fake.control.revokeSessions("alice");

    const result = await run(["whoami"]);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain("The session has expired");
    expect(result.stderr).toContain("Run `proton-demo login` again.");
    expect(await exists(sessionFile())).toBe(false);
  });

  it("reports a missing session file with exit 3", async () => {
    const result = await run(["whoami", "--session-file", join(home.path, "none.json")]);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`there is no session file at ${join(home.path, "none.json")}`);
  });

  it("reports a corrupt session file with exit 3", async () => {
    const path = join(home.path, "corrupt.json");
    await copyFile(fake.caFile, path);

    const result = await run(["whoami", "--session-file", path]);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Invalid session file ${path}: it is not JSON.`);
  });

  it("reports human verification with exit 5", async () => {
    fake.control.injectFault({
      route: "GET /core/v4/users",
      kind: "status",
      status: 422,
      code: 9001,
    });

    const result = await run(["whoami"]);

    expect(result.code).toBe(5);
    expect(result.stderr).toContain(
      `Human verification required (code 9001) for GET ${fake.url}/core/v4/users`,
    );
    expect(result.stderr).toContain("then run the command again.");
  });

  it("reports a maintenance page with exit 8", async () => {
    fake.control.injectFault({ route: "GET /core/v4/users", kind: "html", status: 500 });

    const result = await run(["whoami"]);

    expect(result.code).toBe(8);
    expect(result.stderr).toContain("HTTP 500");
    expect(result.stderr).toContain("text/html");
  });

  it("reports a rate limit with the wait", async () => {
    fake.control.injectFault({
      route: "GET /core/v4/users",
      kind: "rate-limit",
      retryAfter: "120",
    });

    const result = await run(["whoami"]);

    expect(result.code).toBe(6);
    expect(result.stderr).toContain("Wait 120 s and try again.");
  });
});

describe("request", () => {
  it("prints the JSON reply", async () => {
    const result = await run(["request", "/core/v4/addresses"]);

    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.Code).toBe(1000);
    expect(body.Addresses[0].Email).toBe("alice@proton.me");
  });

  it("sends the method and query", async () => {
    const result = await run([
      "request",
      "/core/v4/keys/salts",
      "--method",
      "get",
      "--query",
      "Page=0",
    ]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).Code).toBe(1000);
    expect(routes()).toEqual(["GET /core/v4/keys/salts 200"]);
  });

  it("sends --data as a POST body", async () => {
    const result = await run(["request", "/auth/v4/info", "--data", '{"Username":"alice"}']);

    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.Code).toBe(1000);
    expect(typeof body.Modulus).toBe("string");
    expect(routes()).toEqual(["POST /auth/v4/info 200"]);
  });

  it("redacts the tokens of a reply", async () => {
    const stored = await readSession();
    const data = JSON.stringify({
      UID: stored.session_data["UID"],
      RefreshToken: stored.session_data["RefreshToken"],
      ResponseType: "token",
      GrantType: "refresh_token",
      RedirectURI: "https://protonmail.ch",
    });

    const result = await run(["request", "/auth/v4/refresh", "--data", data]);

    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.UID).toBe(stored.session_data["UID"]);
    expect(body.AccessToken).toBe("[REDACTED]");
    expect(body.RefreshToken).toBe("[REDACTED]");
    expect(routes()).toEqual(["POST /auth/v4/refresh 200"]);
  });

  it("reports an API error with exit 8", async () => {
    const result = await run(["request", "/core/v4/nothing-here"]);

    expect(result.code).toBe(8);
    expect(result.stderr).toContain("HTTP 404");
  });

  const invalid: { args: string[]; message: string }[] = [
    { args: ["request", "core/v4/users"], message: "Invalid endpoint" },
    { args: ["request", "/core/v4/users", "--method", "FETCH"], message: "Invalid --method FETCH" },
    { args: ["request", "/core/v4/users", "--data", "{"], message: "Invalid --data" },
    { args: ["request", "/core/v4/users", "--query", "noequals"], message: "Invalid --query" },
  ];
  for (const testCase of invalid) {
    it(`rejects ${testCase.args.slice(1).join(" ")} with exit 2`, async () => {
      const result = await run(testCase.args);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain(testCase.message);
      expect(routes()).toEqual([]);
    });
  }
});

describe("refresh", () => {
  it("rotates and saves both tokens", async () => {
    const before = await readSession();

    const result = await run(["refresh"]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Refreshed the tokens. Session saved to ${sessionFile()}`);
    expect(routes()).toEqual(["POST /auth/v4/refresh 200"]);
    const after = await readSession();
    expect(after.session_data["AccessToken"]).not.toBe(before.session_data["AccessToken"]);
    expect(after.session_data["RefreshToken"]).not.toBe(before.session_data["RefreshToken"]);
  });

  it("adopts a refresh made by another process", async () => {
    // This process loads the file before another one refreshes it and rotates the refresh
    // token, so its own refresh is rejected and it must read the file again.
    const stale = await openStoredSession({ sessionFile: sessionFile(), ...trustOptions() });
    try {
      const other = await run(["refresh"]);
      expect(other.code).toBe(0);
      const written = await readSession();

      await stale.session.refresh();
      stale.checkPersisted();

      expect(stale.session.refreshToken).toBe(written.session_data["RefreshToken"]);
      expect(await exists(sessionFile())).toBe(true);
      expect((await readSession()).session_data["RefreshToken"]).toBe(
        written.session_data["RefreshToken"],
      );
      expect(routes()).toEqual(["POST /auth/v4/refresh 200", "POST /auth/v4/refresh 422"]);
    } finally {
      await stale.session.close();
    }
    expect((await run(["whoami"])).code).toBe(0);
  });
});

describe("logout", () => {
  it("ends the session and removes the file", async () => {
    const copy = join(home.path, "old-session.json");
    await copyFile(sessionFile(), copy);

    const result = await run(["logout"]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged out. Removed ${sessionFile()}`);
    expect(routes()).toEqual(["DELETE /auth/v4 200"]);
    expect(await exists(sessionFile())).toBe(false);

    const stale = await run(["whoami", "--session-file", copy]);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain("The session has expired");
  });

  it("reports not logged in after logout", async () => {
    expect((await run(["logout"])).code).toBe(0);

    const result = await run(["logout"]);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Not logged in");
  });
});

describe("output", () => {
  it("never contains a token", async () => {
    const saved = await readSession();
    const secrets = [saved.session_data["AccessToken"], saved.session_data["RefreshToken"]];
    fake.control.expireAccessTokens("alice");

    const outputs = [
      await run(["whoami", "--verbose"]),
      await run(["request", "/core/v4/users", "--verbose"]),
      await run(["refresh", "--verbose"]),
      await run(["logout", "--verbose"]),
    ];

    for (const output of outputs) {
      expect(output.code).toBe(0);
      for (const secret of secrets) {
        expect(typeof secret).toBe("string");
        expect(output.stdout).not.toContain(secret);
        expect(output.stderr).not.toContain(secret);
      }
      expect(output.stderr).not.toContain(demoPassword("alice"));
    }
  });
});
