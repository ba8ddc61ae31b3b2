import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidSessionDumpError, SESSION_DUMP_FORMAT_VERSION } from "../src/index.js";
import { parseSessionDump, serializeSessionDump } from "../src/session-dump.js";
import python from "./fixtures/python-client-dump.json" with { type: "json" };

const SECRETS = ["access-token-9b8c7d6e", "refresh-token-1a2b3c4d"];

function catchError(action: () => unknown): InvalidSessionDumpError {
  try {
    action();
  } catch (error) {
    expect(InvalidSessionDumpError.isInstance(error)).toBe(true);
    return error as InvalidSessionDumpError;
  }
  throw new Error("expected InvalidSessionDumpError");
}

function withSessionData(data: Record<string, unknown>): Record<string, unknown> {
  return { ...python.afterLogin, session_data: { ...python.afterLogin.session_data, ...data } };
}

describe("parseSessionDump", () => {
  it("reads a Python client dump after login", () => {
    const parsed = parseSessionDump(python.afterLogin);
    expect(parsed.apiUrl).toBe("https://api.protonmail.ch");
    expect(parsed.appVersion).toBe("Other");
    expect(parsed.userAgent).toBe("None");
    expect(parsed.cookies).toEqual({ "Session-Id": "Y2xpZW50LXNlc3Npb24taWQ", Tag: "default" });
    expect(parsed.tokens?.uid).toBe("uid-5f2e0c1a");
    expect(parsed.tokens?.accessToken).toBe("access-token-9b8c7d6e");
    expect(parsed.tokens?.refreshToken).toBe("refresh-token-1a2b3c4d");
    expect(parsed.tokens?.passwordMode).toBe(1);
    expect(parsed.tokens?.scopes).toContain("mail");
  });

  it("reads a space-separated Scope string", () => {
    const parsed = parseSessionDump(python.after2fa);
    expect(parsed.tokens?.scopes).toEqual(["full", "self", "mail", "settings"]);
    expect(parsed.tokens?.passwordMode).toBeUndefined();
  });

  it("reads a logged-out dump", () => {
    const parsed = parseSessionDump(python.loggedOut);
    expect(parsed.tokens).toBeUndefined();
  });

  it("reads JSON text", () => {
    const parsed = parseSessionDump(JSON.stringify(python.afterLogin));
    expect(parsed.tokens?.uid).toBe("uid-5f2e0c1a");
  });

  it("reads a dump without cookies", () => {
    const { cookies: _cookies, ...rest } = python.afterLogin;
    expect(parseSessionDump(rest).cookies).toEqual({});
  });

  it("keeps unknown fields apart", () => {
    const parsed = parseSessionDump({
      ...withSessionData({ Expiry: 123 }),
      proxy: { host: "example" },
    });
    expect(parsed.extraFields).toEqual({ proxy: { host: "example" } });
    expect(parsed.extraSessionData).toEqual({ Expiry: 123 });
  });

  it.each([
    ["not JSON", "{not json", ""],
    ["an array", [], ""],
    ["null", null, ""],
    ["no api_url", { ...python.afterLogin, api_url: undefined }, "api_url"],
    ["a non-URL api_url", { ...python.afterLogin, api_url: "api.protonmail.ch" }, "api_url"],
    ["a numeric appversion", { ...python.afterLogin, appversion: 3 }, "appversion"],
    ["no User-Agent", { ...python.afterLogin, "User-Agent": undefined }, "User-Agent"],
    ["cookies as a list", { ...python.afterLogin, cookies: ["a"] }, "cookies"],
    ["a numeric cookie", { ...python.afterLogin, cookies: { a: 1 } }, "cookies.a"],
    ["no session_data", { ...python.afterLogin, session_data: undefined }, "session_data"],
    [
      "a UID without tokens",
      { ...python.loggedOut, session_data: { UID: "u" } },
      "session_data.AccessToken",
    ],
    ["an empty RefreshToken", withSessionData({ RefreshToken: "" }), "session_data.RefreshToken"],
    ["a numeric AccessToken", withSessionData({ AccessToken: 5 }), "session_data.AccessToken"],
    ["a text PasswordMode", withSessionData({ PasswordMode: "1" }), "session_data.PasswordMode"],
    ["a Scope of numbers", withSessionData({ Scope: [1, 2] }), "session_data.Scope"],
    ["a format_version of 0", { ...python.afterLogin, format_version: 0 }, "format_version"],
  ])("rejects %s", (_name, input, field) => {
    const error = catchError(() => parseSessionDump(input));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^Cannot load the session dump: /);
  });

  it("rejects a dump from a newer format", () => {
    const error = catchError(() =>
      parseSessionDump({ ...python.afterLogin, format_version: SESSION_DUMP_FORMAT_VERSION + 1 }),
    );
    expect(error.field).toBe("format_version");
    expect(error.message).toMatch(/Update @proton\/session/);
  });

  it("keeps tokens out of error messages", () => {
    const inputs = [
      withSessionData({ UID: 42 }),
      withSessionData({ Scope: { token: SECRETS[0] } }),
      JSON.stringify(withSessionData({})).slice(0, -3),
    ];
    for (const input of inputs) {
      const error = catchError(() => parseSessionDump(input));
      const serialised = `${error.message} ${JSON.stringify(error.toJSON())} ${String(error.cause)}`;
      for (const secret of SECRETS) {
        expect(serialised).not.toContain(secret);
      }
    }
  });
});

describe("serializeSessionDump", () => {
  it("writes the Python client's fields and a format version", () => {
    const dump = serializeSessionDump(parseSessionDump(python.afterLogin));
    expect(Object.keys(dump)).toEqual([
      "api_url",
      "appversion",
      "User-Agent",
      "cookies",
      "session_data",
      "format_version",
    ]);
    expect(dump.format_version).toBe(SESSION_DUMP_FORMAT_VERSION);
    expect(dump.session_data).toEqual(python.afterLogin.session_data);
  });

  it("writes Scope as a list", () => {
    const dump = serializeSessionDump(parseSessionDump(python.after2fa));
    expect(dump.session_data.Scope).toEqual(["full", "self", "mail", "settings"]);
  });

  it("writes an empty session_data when logged out", () => {
    const dump = serializeSessionDump(parseSessionDump(python.loggedOut));
    expect(dump.session_data).toEqual({});
  });

  it("round-trips unknown fields", () => {
    const input = { ...withSessionData({ Expiry: 123 }), proxy: { host: "example" } };
    const dump = serializeSessionDump(parseSessionDump(input));
    expect(dump["proxy"]).toEqual({ host: "example" });
    expect(dump.session_data["Expiry"]).toBe(123);
    expect(parseSessionDump(JSON.parse(JSON.stringify(dump)))).toEqual(parseSessionDump(dump));
  });

  it("lets known fields win over kept ones", () => {
    const parsed = parseSessionDump(python.afterLogin);
    const dump = serializeSessionDump({
      ...parsed,
      extraFields: { api_url: "https://wrong.example" },
      extraSessionData: { UID: "wrong" },
    });
    expect(dump.api_url).toBe("https://api.protonmail.ch");
    expect(dump.session_data.UID).toBe("uid-5f2e0c1a");
  });
});

describe("dump round trip", () => {
  const knownFields = new Set(["api_url", "appversion", "User-Agent", "cookies", "session_data"]);
  const extraName = fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((name) => !knownFields.has(name) && name !== "format_version" && name !== "__proto__");
  // A token is sent in a header, so a dump may hold only visible ASCII without spaces there.
  const token = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);

  it("keeps every field through parse and serialize", () => {
    fc.assert(
      fc.property(
        fc.dictionary(extraName, fc.jsonValue()),
        fc.record({ UID: token, AccessToken: token, RefreshToken: token }),
        fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { maxLength: 5 }),
        fc.dictionary(fc.stringMatching(/^[A-Za-z-]{1,10}$/), fc.string({ maxLength: 20 })),
        (extra, tokens, scopes, cookies) => {
          const input = {
            ...extra,
            api_url: "https://api.protonmail.ch",
            appversion: "Other",
            "User-Agent": "None",
            cookies,
            session_data: { ...tokens, Scope: scopes },
          };

          const dump = serializeSessionDump(parseSessionDump(JSON.parse(JSON.stringify(input))));

          expect(dump).toEqual({ ...JSON.parse(JSON.stringify(input)), format_version: 1 });
        },
      ),
    );
  });
});
