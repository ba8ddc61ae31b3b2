import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../src/index.js";
import { call, type LoggedIn, login } from "./helpers/api-client.js";

let api: FakeApi;
let session: LoggedIn;

beforeAll(async () => {
  api = await startFakeApi({
    users: [
      {
        username: "rita",
        password: "rita-password",
        displayName: "Rita R.",
        email: "rita@example.test",
        passwordMode: 2,
      },
    ],
  });
  session = await login(api, "rita", "rita-password");
});

afterAll(async () => {
  await api.close();
});

describe("core routes", () => {
  it("GET /tests/ping needs no session", async () => {
    const answer = await call(api, "GET", "/tests/ping");

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ Code: 1000 });
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("GET /core/v4/users returns the user", async () => {
    const answer = await call(api, "GET", "/core/v4/users", { headers: session.auth });

    expect(answer.status).toBe(200);
    expect(answer.body["Code"]).toBe(1000);
    expect(answer.body["User"]).toMatchObject({
      ID: session.response.body["UserID"],
      Name: "rita",
      DisplayName: "Rita R.",
      Email: "rita@example.test",
      Keys: [],
    });
  });

  it("GET /core/v4/addresses returns the address", async () => {
    const answer = await call(api, "GET", "/core/v4/addresses", { headers: session.auth });

    expect(answer.status).toBe(200);
    expect(answer.body["Addresses"]).toEqual([
      expect.objectContaining({ Email: "rita@example.test", DisplayName: "Rita R.", Status: 1 }),
    ]);
  });

  it("GET /core/v4/keys/salts returns a 16-byte key salt", async () => {
    const answer = await call(api, "GET", "/core/v4/keys/salts", { headers: session.auth });
    const salts = answer.body["KeySalts"] as { ID: string; KeySalt: string }[];

    expect(answer.status).toBe(200);
    expect(salts).toHaveLength(1);
    expect(typeof salts[0]?.ID).toBe("string");
    expect(Buffer.from(salts[0]?.KeySalt ?? "", "base64")).toHaveLength(16);
  });

  it("GET /auth/v4/sessions lists the user's sessions", async () => {
    const second = await login(api, "rita", "rita-password");
    const answer = await call(api, "GET", "/auth/v4/sessions", { headers: session.auth });
    const uids = (answer.body["Sessions"] as { UID: string }[]).map((entry) => entry.UID);

    expect(answer.status).toBe(200);
    expect(uids).toContain(session.uid);
    expect(uids).toContain(second.uid);
  });

  it("login reports the password mode", () => {
    expect(session.response.body["PasswordMode"]).toBe(2);
  });

  it("logs in with the email address", async () => {
    const byEmail = await login(api, "rita@example.test", "rita-password");

    expect(byEmail.response.status).toBe(200);
  });
});

describe("request errors", () => {
  it("answers 404 with an API body for an unknown route", async () => {
    const answer = await call(api, "GET", "/core/v4/nothing");

    expect(answer.status).toBe(404);
    expect(answer.body["Code"]).toBe(404);
    expect(answer.body["Error"]).toContain("/core/v4/nothing");
  });

  it("answers 405 with Allow for a wrong method", async () => {
    const answer = await call(api, "PUT", "/auth/v4");

    expect(answer.status).toBe(405);
    expect(answer.headers["allow"]).toBe("POST, DELETE");
  });

  it("answers 400 with 2001 for a body that is not JSON", async () => {
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      import("node:https").then(({ request }) => {
        const req = request(
          new URL("/auth/v4/info", api.url),
          {
            method: "POST",
            ca: api.ca,
            headers: { "x-pm-appversion": "Other", "content-type": "application/json" },
          },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => {
              text += chunk.toString();
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on("error", reject);
        req.end("{not json");
      }, reject);
    });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ Code: 2001 });
  });

  it("answers 400 for a JSON body that is not an object", async () => {
    const answer = await call(api, "POST", "/auth/v4/info", { body: ["rita"] });

    expect(answer.status).toBe(400);
    expect(answer.body["Code"]).toBe(2001);
  });

  it("answers 413 for a body over 1 MiB", async () => {
    const answer = await call(api, "POST", "/auth/v4/info", {
      body: { Username: "x".repeat(1024 * 1024 + 1) },
    });

    expect(answer.status).toBe(413);
  });

  it("logs a request aborted mid-body with status 0", async () => {
    const { request } = await import("node:https");
    api.control.clearRequestLog();
    const req = request(new URL("/auth/v4/info", api.url), {
      method: "POST",
      ca: api.ca,
      headers: { "x-pm-appversion": "Other", "content-length": "100" },
    });
    req.on("error", () => {});
    req.write('{"Username":');
    await new Promise((resolve) => setTimeout(resolve, 100));
    req.destroy();

    for (let wait = 0; wait < 250 && api.control.requestLog().length === 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(api.control.requestLog()).toEqual([
      expect.objectContaining({ route: "POST /auth/v4/info", status: 0 }),
    ]);
  });

  it("does not serve the control API on the API port", async () => {
    for (const path of ["/faults", "/requests", "/users", "/verify"]) {
      const answer = await call(api, "GET", path);
      expect(answer.status).toBe(404);
    }
  });
});

describe("TLS", () => {
  it("serves the certificate whose pin it reports", async () => {
    const { connect } = await import("node:tls");
    const { createHash } = await import("node:crypto");
    const url = new URL(api.url);
    const spki = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect(
        { host: url.hostname, port: Number(url.port), ca: api.ca, servername: "localhost" },
        () => {
          const certificate = socket.getPeerX509Certificate();
          socket.end();
          if (certificate === undefined) {
            reject(new Error("no peer certificate"));
            return;
          }
          resolve(certificate.publicKey.export({ type: "spki", format: "der" }));
        },
      );
      socket.on("error", reject);
    });

    expect(createHash("sha256").update(spki).digest("base64")).toBe(api.pin);
  });

  it("is rejected by a client that does not trust its CA", async () => {
    const { request } = await import("node:https");
    const failure = await new Promise<Error>((resolve) => {
      const req = request(new URL("/tests/ping", api.url), { agent: false }, () =>
        resolve(new Error("unexpected response")),
      );
      req.on("error", resolve);
      req.end();
    });

    expect((failure as NodeJS.ErrnoException).code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });

  it("writes the CA to caFile", async () => {
    const { readFile } = await import("node:fs/promises");

    expect(await readFile(api.caFile, "utf8")).toBe(api.ca);
    expect(api.ca).toContain("BEGIN CERTIFICATE");
  });

  it("serves localhost and ::1 names", async () => {
    const { X509Certificate } = await import("node:crypto");
    const { readFile } = await import("node:fs/promises");
    const leaf = new X509Certificate(
      await readFile(new URL("../certs/localhost.pem", import.meta.url), "utf8"),
    );

    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.checkIP("::1")).toBe("::1");
    expect(leaf.checkIssued(new X509Certificate(api.ca))).toBe(true);
  });
});
