import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  AccountUnavailableError,
  API_CODES,
  ApiError,
  AppVersionError,
  createApiError,
  HumanVerificationRequiredError,
  InvalidCredentialsError,
  InvalidUsernameError,
  InvalidVerificationTokenError,
  MissingScopeError,
  ProtonError,
  RateLimitError,
  SessionExpiredError,
} from "../src/index.js";

const request = { method: "post", url: "https://mail-api.proton.me/auth/v4" };

describe("createApiError", () => {
  const byCode: [number, number, abstract new (...args: never[]) => ApiError][] = [
    [API_CODES.INCORRECT_CREDENTIALS, 422, InvalidCredentialsError],
    [API_CODES.INVALID_USERNAME, 422, InvalidUsernameError],
    [API_CODES.HUMAN_VERIFICATION_REQUIRED, 422, HumanVerificationRequiredError],
    [API_CODES.INVALID_VERIFICATION_TOKEN, 422, InvalidVerificationTokenError],
    [API_CODES.INVALID_REFRESH_TOKEN, 400, SessionExpiredError],
    [API_CODES.INVALID_REFRESH_TOKEN, 422, SessionExpiredError],
    [API_CODES.LOGIN_THROTTLED, 422, RateLimitError],
    [API_CODES.LOGIN_ATTEMPTS_THROTTLED, 429, RateLimitError],
    [API_CODES.APP_VERSION_MISSING, 400, AppVersionError],
    [API_CODES.APP_VERSION_OUTDATED, 400, AppVersionError],
    [API_CODES.ACCOUNT_DELETED, 422, AccountUnavailableError],
    [API_CODES.ACCOUNT_DISABLED, 422, AccountUnavailableError],
  ];

  it.each(byCode)("maps code %i (HTTP %i) to its class", (code, status, type) => {
    const error = createApiError({ status, body: { Code: code, Error: "server text" }, request });

    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.serverMessage).toBe("server text");
    expect(error.message).toContain("server text");
    expect(error.message).toContain(`code ${code}`);
  });

  it("has a row for every code in API_CODES", () => {
    const generic = new Set<number>([
      API_CODES.SUCCESS,
      API_CODES.MULTI_SUCCESS,
      API_CODES.INVALID_VALUE,
    ]);
    const tested = new Set(byCode.map(([code]) => code));
    const untested = Object.values(API_CODES).filter((c) => !generic.has(c) && !tested.has(c));

    expect(untested).toEqual([]);
  });

  it("maps code 2001 to a plain ApiError", () => {
    const error = createApiError({ status: 422, body: { Code: API_CODES.INVALID_VALUE } });

    expect(error.constructor).toBe(ApiError);
  });

  it("decides on the body code before the status", () => {
    const error = createApiError({ status: 403, body: { Code: API_CODES.INVALID_REFRESH_TOKEN } });

    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(error).not.toBeInstanceOf(MissingScopeError);
  });

  it("maps status 403 without a known code to MissingScopeError", () => {
    const error = createApiError({ status: 403, body: { Code: 2011 + 1, Error: "No scope" } });

    expect(error).toBeInstanceOf(MissingScopeError);
  });

  it("maps status 429 without a code to RateLimitError", () => {
    const error = createApiError({ status: 429, headers: { "Retry-After": "7" }, body: {} });

    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain("Retry after 7 s");
  });

  it("falls back to ApiError for unknown codes and statuses", () => {
    const error = createApiError({ status: 500, body: { Code: 99999 } });

    expect(error.constructor).toBe(ApiError);
    expect(error.code).toBe(99999);
  });

  it.each([
    ["an array", [1, 2]],
    ["a string", "<html>"],
    ["null", null],
    ["a Code that is not a number", { Code: "1000", Error: 5 }],
  ])("treats %s as a body without fields", (_label, body) => {
    const error = createApiError({ status: 502, body });

    expect(error.constructor).toBe(ApiError);
    expect(error.code).toBeUndefined();
    expect(error.serverMessage).toBeUndefined();
    expect(error.message).toContain("HTTP 502");
  });

  it("reads headers from a Headers instance", () => {
    const headers = new Headers({ "Retry-After": "3", "Content-Type": "application/json" });
    const error = createApiError({ status: 503, headers, body: {} });

    expect(error.retryAfterMs).toBe(3000);
    expect(error.headers["content-type"]).toBe("application/json");
  });

  it("keeps Details and names the request method", () => {
    const error = createApiError({
      status: 422,
      body: { Code: 2001, Error: "Invalid", Details: { Field: "Username" } },
      request,
    });

    expect(error.details).toEqual({ Field: "Username" });
    expect(error.message).toContain("for POST");
    expect(error.request).toEqual({ method: "POST", url: request.url });
  });

  it("keeps the verification token out of inspection", () => {
    const error = createApiError({
      status: 422,
      body: {
        Code: 9001,
        Error: "Human verification required",
        Details: {
          HumanVerificationToken: "hv-secret-token",
          HumanVerificationMethods: ["captcha"],
        },
      },
      request,
    }) as HumanVerificationRequiredError;

    expect(inspect(error, { depth: 5 })).not.toContain("hv-secret-token");
    expect(inspect(error.verification)).not.toContain("hv-secret-token");
    expect(inspect(error.details)).not.toContain("hv-secret-token");
    expect(JSON.stringify(error)).not.toContain("hv-secret-token");
    expect(error.verification.token).toBe("hv-secret-token");
    expect(error.details["HumanVerificationToken"]).toBe("hv-secret-token");
    expect(error.verification.methods).toEqual(["captcha"]);
  });

  it("reads human verification details", () => {
    const error = createApiError({
      status: 422,
      body: {
        Code: 9001,
        Error: "Human verification required",
        Details: {
          HumanVerificationToken: "hv-token",
          HumanVerificationMethods: ["captcha", "email", 7],
          WebUrl: "https://verify.proton.me/?methods=captcha",
          ExpiresAt: 1_900_000_000,
        },
      },
    });

    expect(HumanVerificationRequiredError.isInstance(error)).toBe(true);
    const verification = (error as HumanVerificationRequiredError).verification;
    expect(verification.token).toBe("hv-token");
    expect(verification.methods).toEqual(["captcha", "email"]);
    expect(verification.webUrl).toBe("https://verify.proton.me/?methods=captcha");
    expect(verification.expiresAt).toBe(1_900_000_000);
  });

  it("marks login throttling as not retryable", () => {
    const error = createApiError({ status: 429, body: { Code: 2028 } }) as RateLimitError;

    expect(error.isLoginThrottle).toBe(true);
    expect(error.isRetryable).toBe(false);
  });

  it("reports app version and account reasons", () => {
    const missing = createApiError({ status: 400, body: { Code: 5001 } }) as AppVersionError;
    const outdated = createApiError({ status: 400, body: { Code: 5003 } }) as AppVersionError;
    const deleted = createApiError({ status: 422, body: { Code: 10002 } });
    const disabled = createApiError({ status: 422, body: { Code: 10003 } });

    expect(missing.reason).toBe("missing");
    expect(outdated.reason).toBe("outdated");
    expect((deleted as AccountUnavailableError).reason).toBe("deleted");
    expect((disabled as AccountUnavailableError).reason).toBe("disabled");
  });

  it("creates ProtonError instances", () => {
    expect(ProtonError.isInstance(createApiError({ status: 500 }))).toBe(true);
  });
});

describe("createApiError message", () => {
  it.each([
    ["Injected HTTP 500.", "Injected HTTP 500 (HTTP 500, code 500 for POST)"],
    ["Invalid input...  ", "Invalid input (HTTP 500, code 500 for POST)"],
    ["Invalid input", "Invalid input (HTTP 500, code 500 for POST)"],
    [".", "Request failed (HTTP 500, code 500 for POST)"],
  ])("writes %j without doubled punctuation", (serverText, expected) => {
    const error = createApiError({
      status: 500,
      body: { Code: 500, Error: serverText },
      request,
    });

    expect(error.message).toBe(expected);
    expect(error.serverMessage).toBe(serverText);
  });
});
