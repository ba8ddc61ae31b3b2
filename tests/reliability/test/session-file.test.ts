import { readFile, writeFile } from "node:fs/promises";
import { inspect } from "node:util";
import { InvalidSessionDumpError, Session } from "@proton/api";
import { type FakeApi, startFakeApi } from "@proton/fake-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  addUser,
  catchError,
  createClient,
  DumpFile,
  loadClient,
  type TestClient,
} from "./helpers/client.js";
import { type RewritingProxy, startRewritingProxy } from "./helpers/rewriting-proxy.js";

let api: FakeApi;
let proxy: RewritingProxy;
/** A dump written by a real login, as `onTokenChange` stored it. */
let validDump: Record<string, unknown>;
const clients: TestClient[] = [];
const files: DumpFile[] = [];

beforeAll(async () => {
  api = await startFakeApi();
  proxy = await startRewritingProxy(api);
  validDump = await freshDump();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all(files.map((file) => file.remove()));
  await proxy.close();
  await api.close();
});

/** Logs a new user in and returns the dump its login stored. */
async function freshDump(): Promise<Record<string, unknown>> {
  const user = await addUser(api);
  const tested = await createClient(api);
  clients.push(tested);
  await tested.session.authenticate(user.username, user.password);
  return (await tested.dumpFile.read()) as unknown as Record<string, unknown>;
}

/** Writes `content` to a new dump file and returns the file. */
async function fileWith(content: string | Buffer): Promise<DumpFile> {
  const file = await DumpFile.create();
  files.push(file);
  if (typeof content === "string") {
    await file.write(content);
  } else {
    await writeFile(file.path, content);
  }
  return file;
}

/** Copies the valid dump, changes its `session_data`, and returns the JSON text. */
function withSessionData(change: (data: Record<string, unknown>) => void): string {
  const copy = structuredClone(validDump);
  change(copy["session_data"] as Record<string, unknown>);
  return JSON.stringify(copy);
}

/** Loads the file as an application does and returns the error; checks the file is unchanged. */
async function expectLoadRejected(file: DumpFile): Promise<InvalidSessionDumpError> {
  const before = await readFile(file.path);

  const error = await catchError(() => loadClient(api, file));

  expect(InvalidSessionDumpError.isInstance(error)).toBe(true);
  expect(await readFile(file.path)).toEqual(before);
  const message = (error as Error).message;
  expect(message).toMatch(/^Cannot load the session dump/);
  const tokens = validDump["session_data"] as Record<string, string>;
  for (const secret of [tokens["AccessToken"], tokens["RefreshToken"]]) {
    expect(message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  }
  return error as InvalidSessionDumpError;
}

describe("session file rejected", () => {
  test("corrupt JSON", async () => {
    const text = JSON.stringify(validDump);
    const file = await fileWith(text.slice(0, text.length / 2));

    const error = await expectLoadRejected(file);

    expect(error.field).toBe("");
    expect(error.message).toMatch(/not valid JSON/);
  });

  test("empty file", async () => {
    const file = await fileWith("");

    const error = await expectLoadRejected(file);

    expect(error.field).toBe("");
  });

  test("binary file", async () => {
    const file = await fileWith(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x7b, 0x0a]));

    const error = await expectLoadRejected(file);

    expect(error.field).toBe("");
  });

  test("foreign format", async () => {
    const file = await fileWith(
      JSON.stringify({ version: 3, accounts: [{ name: "someone", token: "abc" }] }),
    );

    const error = await expectLoadRejected(file);

    expect(error.field).toBe("api_url");
  });

  test("JSON that is not an object", async () => {
    const file = await fileWith(JSON.stringify([validDump]));

    const error = await expectLoadRejected(file);

    expect(error.field).toBe("");
    expect(error.message).toMatch(/an array/);
  });

  test.each(["UID", "AccessToken", "RefreshToken"])("missing session_data.%s", async (field) => {
    const file = await fileWith(withSessionData((data) => delete data[field]));

    const error = await expectLoadRejected(file);

    expect(error.field).toBe(`session_data.${field}`);
    expect(error.message).toMatch(/missing/);
  });

  test.each(["api_url", "appversion", "User-Agent", "session_data"])(
    "missing %s",
    async (field) => {
      const copy = structuredClone(validDump);
      delete copy[field];
      const file = await fileWith(JSON.stringify(copy));

      const error = await expectLoadRejected(file);

      expect(error.field).toBe(field);
    },
  );

  test("Scope of the wrong type", async () => {
    const file = await fileWith(withSessionData((data) => (data["Scope"] = { full: true })));

    const error = await expectLoadRejected(file);

    expect(error.field).toBe("session_data.Scope");
  });

  test("empty AccessToken", async () => {
    const file = await fileWith(withSessionData((data) => (data["AccessToken"] = "")));

    const error = await expectLoadRejected(file);

    expect(error.field).toBe("session_data.AccessToken");
    expect(error.message).toMatch(/empty string/);
  });

  test("newer format_version", async () => {
    const file = await fileWith(JSON.stringify({ ...validDump, format_version: 99 }));

    const error = await expectLoadRejected(file);

    expect(error.field).toBe("format_version");
    expect(error.message).toMatch(/99/);
  });

  test("api_url that is not a URL", async () => {
    const file = await fileWith(JSON.stringify({ ...validDump, api_url: "mail.proton.me" }));

    const error = await expectLoadRejected(file);

    expect(error.field).toBe("api_url");
  });

  test("raw bytes instead of text", async () => {
    const error = await catchError(async () =>
      Session.load(Buffer.from(JSON.stringify(validDump)), { pins: [api.pin], ca: api.ca }),
    );

    // NOTE: the session reads no files, because it takes the dump as an object or text. A file
    // that cannot be read therefore fails in the caller's fs call, outside the session.
    expect(InvalidSessionDumpError.isInstance(error)).toBe(true);
  });
});

describe("session file accepted", () => {
  test("dump from a login restarts the session", async () => {
    const file = await fileWith(JSON.stringify(validDump));

    const restarted = await loadClient(api, file);
    clients.push(restarted);
    const users = await restarted.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    expect(restarted.session.uid).toBe((validDump["session_data"] as { UID: string }).UID);
  });

  test("Python client dump loads and keeps unknown fields", async () => {
    const data = (await freshDump())["session_data"] as Record<string, unknown>;
    // The shape of `Session.dump()` in proton-python-client (proton/api.py), which has no
    // format_version and stores Scope as a space-separated string after 2FA.
    const pythonDump = {
      api_url: validDump["api_url"],
      appversion: "Other",
      "User-Agent": "ProtonVPN/4.0 (Linux)",
      cookies: {},
      session_data: {
        UID: data["UID"],
        AccessToken: data["AccessToken"],
        RefreshToken: data["RefreshToken"],
        PasswordMode: 1,
        Scope: "full self user",
        LocalID: 7,
      },
      python_extra: { kept: true },
    };
    const file = await fileWith(JSON.stringify(pythonDump));
    const loaded = await loadClient(api, file);
    clients.push(loaded);
    const loadedScopes = loaded.session.scopes;

    await loaded.session.refresh();

    const stored = await file.read();
    expect(loadedScopes).toEqual(["full", "self", "user"]);
    expect(stored["python_extra"]).toEqual({ kept: true });
    expect(stored.session_data["LocalID"]).toBe(7);
    expect(stored.session_data.RefreshToken).toBe(loaded.session.refreshToken);
    expect(stored["User-Agent"]).toBe("ProtonVPN/4.0 (Linux)");
  });

  test("printed session shows no token", async () => {
    const file = await fileWith(JSON.stringify(validDump));
    const loaded = await loadClient(api, file);
    clients.push(loaded);
    const tokens = validDump["session_data"] as Record<string, string>;

    const printed = `${inspect(loaded.session)} ${JSON.stringify(loaded.session)}`;

    expect(printed).toContain(tokens["UID"]);
    expect(printed).not.toContain(tokens["AccessToken"]);
    expect(printed).not.toContain(tokens["RefreshToken"]);
  });

  test("login cookie survives a restart", async () => {
    const user = await addUser(api);
    const tested = await createClient(proxy);
    clients.push(tested);
    const cookieHeaders: (string | undefined)[] = [];
    proxy.setRewrite((reply) => {
      if (reply.route === "GET /core/v4/users") {
        const sent = reply.requestHeaders.cookie;
        cookieHeaders.push(typeof sent === "string" ? sent : undefined);
      }
      if (reply.route !== "POST /auth/v4" || reply.status !== 200) {
        return undefined;
      }
      return {
        raw: reply.body,
        status: 200,
        headers: {
          "content-type": "application/json",
          "set-cookie": "Session-Id=reliability-cookie; Path=/; Secure; HttpOnly",
        },
      };
    });

    await tested.session.authenticate(user.username, user.password);
    const restarted = await loadClient(proxy, tested.dumpFile);
    clients.push(restarted);
    const users = await restarted.session.apiRequest("/core/v4/users");

    expect(users.Code).toBe(1000);
    const stored = await tested.dumpFile.read();
    expect(stored.cookies).toEqual({ "Session-Id": "reliability-cookie" });
    expect(cookieHeaders).toEqual(["Session-Id=reliability-cookie"]);
    proxy.setRewrite(undefined);
  });

  test("dump without tokens loads logged out", async () => {
    const file = await fileWith(JSON.stringify({ ...validDump, session_data: {} }));

    const loaded = await loadClient(api, file);
    clients.push(loaded);

    expect(loaded.session.isAuthenticated).toBe(false);
  });
});
