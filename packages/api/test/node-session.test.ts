import * as errors from "@proton/errors";
import { type FakeApi, startFakeApi } from "@proton/fake-api";
import { Session as BaseSession } from "@proton/session";
import { createNodeTransport } from "@proton/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const USER = { username: "facade-user", password: "facade-password" };

let fake: FakeApi;

beforeAll(async () => {
  fake = await startFakeApi({ users: [USER] });
});

afterAll(async () => {
  await fake.close();
});

function options(extra: Partial<api.ApiSessionOptions> = {}): api.ApiSessionOptions {
  return { apiUrl: fake.url, appVersion: "Other", userAgent: "facade-tests", ...extra };
}

describe("Session in Node.js", () => {
  it("logs in pinned to custom pins", async () => {
    const session = new api.Session(options({ pins: [fake.pin], ca: fake.ca }));

    const result = await session.authenticate(USER.username, USER.password);
    const users = await session.apiRequest("/core/v4/users");
    await session.logout();
    await session.close();

    expect(result.scopes).toContain("full");
    expect(users.Code).toBe(1000);
    expect(session).toBeInstanceOf(BaseSession);
  });

  it("rejects an unknown host without pins", async () => {
    const session = new api.Session(options({ ca: fake.ca }));
    fake.control.clearRequestLog();

    const error = await session.apiRequest("/tests/ping").catch((caught: unknown) => caught);
    await session.close();

    expect(api.PinningError.isInstance(error)).toBe(true);
    expect(fake.control.requestLog()).toEqual([]);
  });

  it("rejects a pin that does not match", async () => {
    const wrongPin = Buffer.alloc(32, 7).toString("base64");
    const session = new api.Session(options({ pins: [wrongPin], ca: fake.ca }));

    const error = await session.apiRequest("/tests/ping").catch((caught: unknown) => caught);
    await session.close();

    expect(api.PinningError.isInstance(error)).toBe(true);
    expect((error as api.PinningError).servedPins).toContain(fake.pin);
  });

  it("validates the CA with pinning off", async () => {
    const session = new api.Session(options({ pinning: false, ca: fake.ca }));
    const reply = await session.apiRequest("/tests/ping");
    await session.close();
    expect(reply.Code).toBe(1000);
  });

  it("rejects an untrusted certificate with pinning off", async () => {
    const session = new api.Session(options({ pinning: false }));
    const error = await session.apiRequest("/tests/ping").catch((caught: unknown) => caught);
    await session.close();
    expect(api.NetworkError.isInstance(error)).toBe(true);
    expect(api.PinningError.isInstance(error)).toBe(false);
  });

  it("uses a caller's transport and leaves it open", async () => {
    const transport = createNodeTransport({ pins: [fake.pin], ca: fake.ca });
    const session = new api.Session(options({ transport }));

    await session.close();
    const reply = await session.apiRequest("/tests/ping");
    await transport.close();

    expect(reply.Code).toBe(1000);
  });

  it("loads a dump with its own transport", async () => {
    const first = new api.Session(options({ pins: [fake.pin], ca: fake.ca }));
    await first.authenticate(USER.username, USER.password);

    const loaded = api.Session.load(first.dump(), { pins: [fake.pin], ca: fake.ca });
    const users = await loaded.apiRequest("/core/v4/users");

    expect(loaded).toBeInstanceOf(api.Session);
    expect(loaded.uid).toBe(first.uid);
    expect(users.Code).toBe(1000);
    await loaded.logout();
    await Promise.all([first.close(), loaded.close()]);
  });

  it("rejects the browser-only fetch option", () => {
    expect(() => new api.Session(options({ fetch: globalThis.fetch }))).toThrow(/browsers only/);
  });
});

describe("re-exports", () => {
  it.each([
    ["ProtonError", api.ProtonError, errors.ProtonError],
    ["ApiError", api.ApiError, errors.ApiError],
    ["InvalidCredentialsError", api.InvalidCredentialsError, errors.InvalidCredentialsError],
    [
      "HumanVerificationRequiredError",
      api.HumanVerificationRequiredError,
      errors.HumanVerificationRequiredError,
    ],
    ["SessionExpiredError", api.SessionExpiredError, errors.SessionExpiredError],
    ["RateLimitError", api.RateLimitError, errors.RateLimitError],
    ["NetworkError", api.NetworkError, errors.NetworkError],
    ["TimeoutError", api.TimeoutError, errors.TimeoutError],
    ["PinningError", api.PinningError, errors.PinningError],
    ["CertificateError", api.CertificateError, errors.CertificateError],
    ["UnexpectedResponseError", api.UnexpectedResponseError, errors.UnexpectedResponseError],
    ["SrpError", api.SrpError, errors.SrpError],
  ])("exports %s from @proton/errors", (_name, exported, original) => {
    expect(exported).toBe(original);
  });

  it("exports Proton's pin sets", () => {
    expect(api.findPinSet("mail-api.proton.me")?.pins).toContain(
      "CT56BhOTmj5ZIPgb/xD5mH8rY3BLo/MlhP7oPyJUEDo=",
    );
    expect(api.findPinSet("127.0.0.1")).toBeUndefined();
    expect(api.spkiPin(fake.ca)).not.toBe(fake.pin);
    expect(api.PROTON_PIN_SETS.length).toBeGreaterThanOrEqual(4);
  });

  it("exports the session helpers", () => {
    expect(api.generateTotp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", { time: 59_000 })).toBe("287082");
    expect(typeof api.InvalidSessionDumpError).toBe("function");
    expect(api.SESSION_DUMP_FORMAT_VERSION).toBe(1);
  });
});
