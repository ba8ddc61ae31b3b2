import { getAuthVersionWithFallback, getSrp, verifyModulus } from "@proton/srp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, SIGNED_MODULI, startFakeApi } from "../src/index.js";
import { call, login } from "./helpers/api-client.js";

const USERS = [
  { username: "v4user", password: "four-password" },
  { username: "v3user", password: "three-password", authVersion: 3 as const },
  { username: "v2.User_x", password: "two-password", authVersion: 2 as const },
  { username: "V1User", password: "one-password", authVersion: 1 as const },
  { username: "v0-user", password: "zero-password", authVersion: 0 as const },
  { username: "mode2", password: "mailbox-split", passwordMode: 2 as const },
];

let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({ users: USERS });
});

afterAll(async () => {
  await api.close();
});

describe("signed moduli", () => {
  it.each(SIGNED_MODULI.map((modulus, index) => [index, modulus]))(
    "modulus %i verifies with Proton's modulus key",
    async (_index, modulus) => {
      const n = await verifyModulus(modulus as string);
      expect(n.length).toBe(256);
    },
  );
});

describe("POST /auth/v4/info", () => {
  it("returns SRP parameters with a 10-byte salt", async () => {
    const info = await call(api, "POST", "/auth/v4/info", { body: { Username: "v4user" } });

    expect(info.status).toBe(200);
    expect(info.body["Code"]).toBe(1000);
    expect(info.body["Version"]).toBe(4);
    expect(Buffer.from(info.body["Salt"] as string, "base64")).toHaveLength(10);
    expect(Buffer.from(info.body["ServerEphemeral"] as string, "base64")).toHaveLength(256);
    expect(info.body["SRPSession"]).toMatch(/^[0-9a-f]{32}$/);
    expect(SIGNED_MODULI).toContain(info.body["Modulus"]);
    expect(info.body["2FA"]).toMatchObject({ Enabled: 0 });
  });

  it("answers an unknown username like an account", async () => {
    const first = await call(api, "POST", "/auth/v4/info", { body: { Username: "nobody" } });
    const second = await call(api, "POST", "/auth/v4/info", { body: { Username: "NoBody" } });

    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(
      ["2FA", "Code", "Modulus", "SRPSession", "Salt", "ServerEphemeral", "Version"].sort(),
    );
    expect(first.body["Version"]).toBe(4);
    expect(Buffer.from(first.body["Salt"] as string, "base64")).toHaveLength(10);
    expect(second.body["Salt"]).toBe(first.body["Salt"]);
    expect(second.body["Modulus"]).toBe(first.body["Modulus"]);
  });

  it("rejects a missing Username with 2001", async () => {
    const info = await call(api, "POST", "/auth/v4/info", { body: {} });

    expect(info.status).toBe(422);
    expect(info.body["Code"]).toBe(2001);
    expect(typeof info.body["Error"]).toBe("string");
  });
});

describe("POST /auth/v4", () => {
  it.each(USERS.filter((user) => user.authVersion !== 0))(
    "logs in $username with auth version $authVersion",
    async (user) => {
      const session = await login(api, user.username, user.password);

      expect(session.response.status).toBe(200);
      expect(session.response.body["Code"]).toBe(1000);
      expect(session.uid).not.toBe("");
      expect(session.accessToken).not.toBe(session.refreshToken);
      expect(session.response.body["TokenType"]).toBe("Bearer");
      expect(session.response.body["ExpiresIn"]).toBe(86_400);
      expect(session.response.body["Scopes"]).toContain("full");
      expect(session.response.body["Scope"]).toBe(
        (session.response.body["Scopes"] as string[]).join(" "),
      );
      expect(session.response.body["PasswordMode"]).toBe(user.passwordMode ?? 1);
      expect(typeof session.response.body["UserID"]).toBe("string");
    },
  );

  it("logs in a version 0 user through the version fallback", async () => {
    const username = "v0-user";
    let attempt = getAuthVersionWithFallback({ Version: 0 }, username);
    const tried: number[] = [];
    let status = 0;

    for (;;) {
      tried.push(attempt.version);
      const session = await login(api, username, "zero-password", { authVersion: attempt.version });
      status = session.response.status;
      if (status === 200 || attempt.done) {
        break;
      }
      expect(session.response.body["Code"]).toBe(8002);
      attempt = getAuthVersionWithFallback({ Version: 0 }, username, attempt.version);
    }

    expect(status).toBe(200);
    expect(tried.at(-1)).toBe(0);
    expect(tried[0]).toBe(2);
  });

  it("logs in on the legacy /auth routes", async () => {
    const session = await login(api, "v4user", "four-password", { legacy: true });

    expect(session.response.status).toBe(200);
    expect(api.control.requestLog().at(-1)?.route).toBe("POST /auth/v4");
    expect(api.control.requestLog().at(-1)?.path).toBe("/auth");
  });

  it("accepts a username in another case", async () => {
    const session = await login(api, "V4USER", "four-password");

    expect(session.response.status).toBe(200);
  });

  it("rejects a wrong password with 422 and 8002", async () => {
    const session = await login(api, "v4user", "wrong-password");

    expect(session.response.status).toBe(422);
    expect(session.response.body["Code"]).toBe(8002);
    expect(session.response.body).not.toHaveProperty("AccessToken");
  });

  it("rejects an unknown username like a wrong password", async () => {
    const unknown = await login(api, "nobody", "any-password");
    const wrongPassword = await login(api, "v4user", "wrong-password");

    expect(unknown.response.status).toBe(422);
    expect(unknown.response.body["Code"]).toBe(8002);
    expect(unknown.response.body["Error"]).toBe(wrongPassword.response.body["Error"]);
  });

  it("rejects a reused SRPSession", async () => {
    const info = await call(api, "POST", "/auth/v4/info", { body: { Username: "v4user" } });
    const proofs = await getSrp(info.body as never, {
      username: "v4user",
      password: "four-password",
    });
    const body = {
      Username: "v4user",
      ClientEphemeral: proofs.clientEphemeral,
      ClientProof: proofs.clientProof,
      SRPSession: info.body["SRPSession"],
    };

    const first = await call(api, "POST", "/auth/v4", { body });
    const second = await call(api, "POST", "/auth/v4", { body });

    expect(first.status).toBe(200);
    expect(second.status).toBe(422);
    expect(second.body["Code"]).toBe(2001);
  });

  it("rejects an SRPSession of another username", async () => {
    const info = await call(api, "POST", "/auth/v4/info", { body: { Username: "v4user" } });
    const proofs = await getSrp(info.body as never, {
      username: "v4user",
      password: "four-password",
    });
    const response = await call(api, "POST", "/auth/v4", {
      body: {
        Username: "v3user",
        ClientEphemeral: proofs.clientEphemeral,
        ClientProof: proofs.clientProof,
        SRPSession: info.body["SRPSession"],
      },
    });

    expect(response.status).toBe(422);
    expect(response.body["Code"]).toBe(2001);
  });

  it("rejects a client ephemeral of zero with 2001", async () => {
    const info = await call(api, "POST", "/auth/v4/info", { body: { Username: "v4user" } });
    const response = await call(api, "POST", "/auth/v4", {
      body: {
        Username: "v4user",
        ClientEphemeral: Buffer.alloc(256).toString("base64"),
        ClientProof: Buffer.alloc(256).toString("base64"),
        SRPSession: info.body["SRPSession"],
      },
    });

    expect(response.status).toBe(422);
    expect(response.body["Code"]).toBe(2001);
  });

  it("rejects missing fields with 2001", async () => {
    const response = await call(api, "POST", "/auth/v4", { body: { Username: "v4user" } });

    expect(response.status).toBe(422);
    expect(response.body["Code"]).toBe(2001);
    expect(response.body["Error"]).toContain("ClientEphemeral");
  });
});
