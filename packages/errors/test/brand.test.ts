import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  CertificateError,
  createApiError,
  InvalidCredentialsError,
  NetworkError,
  PinningError,
  ProtonError,
  SessionExpiredError,
  SrpError,
  TimeoutError,
  UnexpectedResponseError,
} from "../src/index.js";

describe("ProtonError brand", () => {
  it("recognises subclasses through isInstance", () => {
    const error = new TimeoutError("Request timed out", { timeoutMs: 100 });

    expect(ProtonError.isInstance(error)).toBe(true);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(PinningError.isInstance(error)).toBe(false);
    expect(ApiError.isInstance(error)).toBe(false);
    expect(error.name).toBe("TimeoutError");
  });

  it("rejects plain values", () => {
    expect(ProtonError.isInstance(new Error("x"))).toBe(false);
    expect(ProtonError.isInstance(null)).toBe(false);
    expect(ProtonError.isInstance("ProtonError")).toBe(false);
    expect(ProtonError.isInstance({ name: "ProtonError" })).toBe(false);
  });

  it("matches errors from a second copy of the package", async () => {
    // A second copy is the same built code evaluated in another vm context: its classes are
    // distinct objects, so instanceof fails while the Symbol.for brand still matches.
    const other = await loadSecondCopy();
    const foreign = new other.SessionExpiredError("Log in again", { status: 400, code: 10013 });

    expect(foreign instanceof SessionExpiredError).toBe(false);
    expect(SessionExpiredError.isInstance(foreign)).toBe(true);
    expect(ApiError.isInstance(foreign)).toBe(true);
    expect(InvalidCredentialsError.isInstance(foreign)).toBe(false);
    expect(other.ProtonError.isInstance(new SrpError("bad", { reason: "invalid-modulus" }))).toBe(
      true,
    );
  });

  it("recognises CertificateError as a NetworkError", () => {
    const error = new CertificateError("Certificate expired", { reason: "expired", host: "h" });

    expect(NetworkError.isInstance(error)).toBe(true);
    expect(CertificateError.isInstance(error)).toBe(true);
    expect(PinningError.isInstance(error)).toBe(false);
    expect(error.toJSON()).toMatchObject({
      name: "CertificateError",
      reason: "expired",
      host: "h",
    });
  });

  it("passes the cause through", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const error = new NetworkError("Connection refused", { cause });

    expect(error.cause).toBe(cause);
    expect(error.errorCode).toBe("ECONNREFUSED");
  });
});

describe("toJSON", () => {
  const secrets = ["Bearer-secret-access-token", "refresh-secret", "hv-secret-token", "hunter2"];

  it("contains no secret from headers, URL, details or verification token", () => {
    const errors: ProtonError[] = [
      createApiError({
        status: 422,
        headers: { "set-cookie": `AUTH=${secrets[1]}`, authorization: `Bearer ${secrets[0]}` },
        body: { Code: 9001, Details: { HumanVerificationToken: secrets[2] } },
        request: { method: "GET", url: `https://h.example/x?refresh_token=${secrets[1]}` },
      }),
      new NetworkError("Connection reset", {
        request: { method: "GET", url: `https://h.example/?access_token=${secrets[0]}` },
      }),
      new UnexpectedResponseError("Unexpected HTML", {
        status: 503,
        contentType: "text/html",
        bodySnippet: "<html>maintenance</html>",
        request: { method: "GET", url: `https://x:${secrets[3]}@h.example/` },
      }),
    ];

    for (const error of errors) {
      const text = JSON.stringify(error) + error.message + String(error.stack);
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it("includes the fields callers act on", () => {
    const error = createApiError({ status: 429, headers: { "retry-after": "2" }, body: {} });
    const json = error.toJSON();

    expect(json).toMatchObject({ name: "RateLimitError", status: 429, retryAfterMs: 2000 });
    expect(json["isRetryable"]).toBe(true);
  });

  it("keeps Retry-After of an unexpected response", () => {
    const error = new UnexpectedResponseError("Maintenance page", {
      status: 503,
      contentType: "text/html",
      retryAfterMs: 120_000,
    });

    expect(error.retryAfterMs).toBe(120_000);
    expect(error.isRetryable).toBe(true);
    expect(error.toJSON()["retryAfterMs"]).toBe(120_000);
  });

  it("reduces a foreign cause to name and message", () => {
    const cause = Object.assign(new Error("socket hang up"), { code: "ECONNRESET", extra: "x" });
    const json = new NetworkError("Connection reset", { cause }).toJSON();

    expect(json["cause"]).toEqual({ name: "Error", code: "ECONNRESET", message: "socket hang up" });
  });
});

type ErrorsModule = typeof import("../src/index.js");

async function loadSecondCopy(): Promise<ErrorsModule> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@proton/errors");
  const script = await bundleToScript(entry);
  const context = vm.createContext({});
  return vm.runInContext(script, context) as ErrorsModule;
}

/** Concatenates the built ESM files of the package into one script that returns its exports. */
async function bundleToScript(entry: string): Promise<string> {
  const directory = entry.slice(0, entry.lastIndexOf("/") + 1);
  const order = [
    "redact.js",
    "request-info.js",
    "proton-error.js",
    "codes.js",
    "retry-after.js",
    "api-error.js",
    "create-api-error.js",
    "network-error.js",
    "certificate-error.js",
    "pinning-error.js",
    "srp-error.js",
    "unexpected-response-error.js",
  ];
  const exported = new Set<string>();
  let script = "";
  for (const file of order) {
    let source = await readFile(directory + file, "utf8");
    source = source.replace(/^import .*$/gm, "").replace(/^\/\/# sourceMappingURL.*$/gm, "");
    source = source.replace(/^export (class|function|const) (\w+)/gm, (_match, kind, name) => {
      exported.add(name);
      return `${kind} ${name}`;
    });
    script += `${source}\n`;
  }
  script += `({ ${[...exported].join(", ")} })`;
  return script;
}
