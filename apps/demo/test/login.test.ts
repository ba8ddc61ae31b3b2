import { once } from "node:events";
import { readFile, stat } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { generateTotp } from "@proton/api";
import type { FakeApi } from "@proton/fake-api";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoPassword, demoTotpSecret, startDemoFakeApi, trustFlags } from "./helpers/fake-api.js";
import { createTempHome, runCli } from "./helpers/run-cli.js";

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
  fake.control.clearRequestLog();
});

afterEach(async () => {
  await home.remove();
});

function loginArgs(username: string, ...extra: string[]): string[] {
  return [
    "login",
    "--api-url",
    fake.url,
    "--username",
    username,
    "--password-stdin",
    ...trustFlags(fake),
    ...extra,
  ];
}

function xdgSessionFile(): string {
  return join(home.path, "xdg", "proton-ts", "session.json");
}

function xdgEnv(): Record<string, string> {
  return { XDG_CONFIG_HOME: join(home.path, "xdg") };
}

describe("login", () => {
  it("saves the session with mode 0600", async () => {
    const result = await runCli(loginArgs("alice"), {
      home: home.path,
      env: xdgEnv(),
      input: `${demoPassword("alice")}\n`,
    });

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged in as alice on ${fake.url}`);
    expect(result.stdout).toContain(`Session saved to ${xdgSessionFile()}`);
    expect((await stat(xdgSessionFile())).mode & 0o777).toBe(0o600);
    expect((await stat(join(home.path, "xdg", "proton-ts"))).mode & 0o777).toBe(0o700);

    const saved = JSON.parse(await readFile(xdgSessionFile(), "utf8"));
    expect(saved.api_url).toBe(fake.url);
    expect(typeof saved.session_data.UID).toBe("string");
    expect(saved.session_data.Scope).toContain("full");
    expect(saved.proton_ts_demo).toEqual({ pins: [fake.pin], ca_file: fake.caFile });
    expect(JSON.stringify(saved)).not.toContain(demoPassword("alice"));
  });

  it("uses ~/.config without XDG_CONFIG_HOME", async () => {
    const result = await runCli(loginArgs("alice"), {
      home: home.path,
      input: `${demoPassword("alice")}\n`,
    });

    expect(result.code).toBe(0);
    const path = join(home.path, ".config", "proton-ts", "session.json");
    expect(result.stdout).toContain(`Session saved to ${path}`);
    expect((await stat(path)).isFile()).toBe(true);
  });

  it("writes --session-file instead", async () => {
    const path = join(home.path, "elsewhere", "my-session.json");
    const result = await runCli(loginArgs("alice", "--session-file", path), {
      home: home.path,
      input: `${demoPassword("alice")}\n`,
    });

    expect(result.code).toBe(0);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("sends the TOTP code from the second line", async () => {
    const code = generateTotp(demoTotpSecret("bob"));
    const result = await runCli(loginArgs("bob"), {
      home: home.path,
      input: `${demoPassword("bob")}\n${code}\n`,
    });

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("scopes: ");
    expect(result.stdout).toContain("full");
    const routes = fake.control.requestLog().map((entry) => `${entry.route} ${entry.status}`);
    expect(routes).toContain("POST /auth/v4/2fa 200");
  });

  it("rejects a wrong password with exit 4", async () => {
    const result = await runCli(loginArgs("alice"), {
      home: home.path,
      input: "not-the-password\n",
    });

    expect(result.code).toBe(4);
    expect(result.stderr).toContain("Wrong username or password (code 8002)");
    expect(result.stderr).not.toContain("not-the-password");
    expect(result.stdout).toBe("");
  });

  it("rejects a wrong 2FA code and ends the session", async () => {
    const result = await runCli(loginArgs("bob"), {
      home: home.path,
      input: `${demoPassword("bob")}\n000000\n`,
    });

    expect(result.code).toBe(4);
    expect(result.stderr).toContain("Wrong 2FA code (code 8002)");
    const routes = fake.control.requestLog().map((entry) => entry.route);
    expect(routes).toContain("DELETE /auth/v4");
  });

  it("requires the 2FA line on standard input", async () => {
    const result = await runCli(loginArgs("bob"), {
      home: home.path,
      input: `${demoPassword("bob")}\n`,
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Missing the 2FA code");
    expect(fake.control.requestLog().map((entry) => entry.route)).toContain("DELETE /auth/v4");
  });

  it("rejects a security-key-only account with exit 4", async () => {
    await fake.control.addUser({
      username: "keyonly",
      password: "keyonly-password",
      securityKey: true,
    });
    const result = await runCli(loginArgs("keyonly"), {
      home: home.path,
      input: "keyonly-password\n",
    });

    expect(result.code).toBe(4);
    expect(result.stderr).toContain("security key (FIDO2)");
  });

  it("reports human verification, then succeeds with the token", async () => {
    const first = await runCli(loginArgs("dave"), {
      home: home.path,
      input: `${demoPassword("dave")}\n`,
    });

    expect(first.code).toBe(5);
    expect(first.stderr).toContain("Human verification required (code 9001)");
    expect(first.stderr).toContain(`Open ${fake.controlUrl}/verify?`);
    const token = /takes this one: (\S+)/.exec(first.stderr)?.[1];
    expect(token).toBeDefined();

    fake.control.solveHumanVerification(token ?? "");
    const second = await runCli(
      loginArgs("dave", "--verification-token", token ?? "", "--verification-type", "captcha"),
      { home: home.path, input: `${demoPassword("dave")}\n` },
    );
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
  });

  it("reports a rejected verification token with exit 5", async () => {
    const result = await runCli(
      loginArgs("dave", "--verification-token", "never-issued", "--verification-type", "captcha"),
      { home: home.path, input: `${demoPassword("dave")}\n` },
    );

    expect(result.code).toBe(5);
    expect(result.stderr).toContain("The API rejected the human verification token (code 12087)");
  });

  it("reports login throttling with the wait", async () => {
    fake.control.injectFault({
      route: "POST /auth/v4/info",
      kind: "rate-limit",
      code: 2028,
      retryAfter: "30",
    });
    const result = await runCli(loginArgs("alice"), {
      home: home.path,
      input: `${demoPassword("alice")}\n`,
    });

    expect(result.code).toBe(6);
    expect(result.stderr).toContain("Throttled: the API rejected login attempts");
    expect(result.stderr).toContain("Wait 30 s and try again.");
  });

  it("rejects a wrong pin with exit 7", async () => {
    const result = await runCli(
      [
        "login",
        "--api-url",
        fake.url,
        "--username",
        "alice",
        "--password-stdin",
        "--pin",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "--ca-file",
        fake.caFile,
      ],
      { home: home.path, input: `${demoPassword("alice")}\n` },
    );

    expect(result.code).toBe(7);
    expect(result.stderr).toContain("Certificate pin mismatch for 127.0.0.1:");
    expect(result.stderr).toContain(fake.pin);
    expect(fake.control.requestLog()).toEqual([]);
  });
});

describe("login connection", () => {
  it("reports a refused connection with exit 7", async () => {
    const port = await closedPort();
    const result = await runCli(
      [
        "login",
        "--api-url",
        `https://127.0.0.1:${port}`,
        "--username",
        "alice",
        "--password-stdin",
        ...trustFlags(fake),
      ],
      { home: home.path, input: `${demoPassword("alice")}\n` },
    );

    expect(result.code).toBe(7);
    expect(result.stderr).toContain("refused the connection");
    expect(result.stderr).toContain("Check the API URL and the network.");
  });
});

/** Returns a loopback port that nothing listens on: one the OS just handed out and freed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("login command line", () => {
  const cases: { name: string; args: () => string[]; input?: string; message: string }[] = [
    {
      name: "pin for a Proton host",
      args: () => [
        "login",
        "--api-url",
        "https://mail-api.proton.me",
        "--username",
        "a",
        "--pin",
        fake.pin,
      ],
      message: "Invalid --pin for mail-api.proton.me",
    },
    {
      name: "missing pin for another host",
      args: () => ["login", "--api-url", fake.url, "--username", "a", "--password-stdin"],
      message: "Missing --pin for 127.0.0.1",
    },
    {
      name: "http URL",
      args: () => [
        "login",
        "--api-url",
        "http://127.0.0.1:1",
        "--username",
        "a",
        "--pin",
        fake.pin,
      ],
      message: "only https URLs are supported",
    },
    {
      name: "unreadable CA file",
      args: () => [...loginArgs("alice").slice(0, -2), "--ca-file", "/nonexistent/ca.pem"],
      message: "Cannot read --ca-file /nonexistent/ca.pem",
    },
    {
      name: "no password on a pipe",
      args: () => ["login", "--api-url", fake.url, "--username", "alice", ...trustFlags(fake)],
      message: "pass --password-stdin",
    },
    {
      name: "empty standard input",
      args: () => loginArgs("alice"),
      input: "",
      message: "Missing the password on standard input",
    },
    {
      name: "missing username",
      args: () => ["login", "--api-url", fake.url],
      message: "required option '--username <name>' not specified",
    },
    {
      name: "empty username",
      args: () => ["login", "--api-url", fake.url, "--username", "", ...trustFlags(fake)],
      message: "Invalid --username: it is empty",
    },
    {
      name: "empty password line",
      args: () => loginArgs("alice"),
      input: "\n",
      message: "Invalid password: the first line of standard input is empty",
    },
    {
      name: "session file that is a folder",
      args: () => ["whoami", "--session-file", home.path],
      message: "it is a directory",
    },
  ];

  for (const testCase of cases) {
    it(`rejects ${testCase.name} with exit 2`, async () => {
      const result = await runCli(testCase.args(), {
        home: home.path,
        input: testCase.input ?? "",
      });

      expect(result.code).toBe(2);
      expect(result.stderr).toContain(testCase.message);
      expect(result.stdout).toBe("");
    });
  }
});
