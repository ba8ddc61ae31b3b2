import {
  createApiError,
  NetworkError,
  PinningError,
  Session,
  TimeoutError,
  UnsupportedSecondFactorError,
} from "@proton/api";
import { describe, expect, it } from "vitest";
import { describeFailure } from "../src/describe-failure.js";
import { NotLoggedInError } from "../src/not-logged-in-error.js";
import { PromptCancelledError } from "../src/prompt.js";
import { TwoFactorFailure } from "../src/two-factor-failure.js";
import { UsageError } from "../src/usage-error.js";

/** A token-like value put into the URLs and headers of the errors below. */
const SECRET = "s3cr3t-token-value";

const LOGIN_REQUEST = { method: "POST", url: "https://mail-api.proton.me/auth/v4" };
const USERS_REQUEST = {
  method: "GET",
  url: `https://mail-api.proton.me/core/v4/users?AccessToken=${SECRET}`,
};

function apiError(status: number, body: Record<string, unknown>, request = LOGIN_REQUEST): Error {
  return createApiError({
    status,
    headers: { "content-type": "application/json", authorization: `Bearer ${SECRET}` },
    body,
    request,
  });
}

describe("describeFailure for API errors", () => {
  const cases: { name: string; error: () => unknown; exitCode: number; message: string }[] = [
    {
      name: "wrong password",
      error: () => apiError(422, { Code: 8002, Error: "Incorrect login credentials" }),
      exitCode: 4,
      message: "Wrong username or password (code 8002)",
    },
    {
      name: "wrong 2FA code",
      error: () => new TwoFactorFailure(apiError(422, { Code: 8002, Error: "Incorrect code" })),
      exitCode: 4,
      message: "Wrong 2FA code (code 8002)",
    },
    {
      name: "invalid username",
      error: () => apiError(422, { Code: 6003, Error: "Invalid username" }),
      exitCode: 4,
      message: 'Invalid username (code 6003): "Invalid username"',
    },
    {
      name: "disabled account",
      error: () => apiError(422, { Code: 10003, Error: "Account disabled" }),
      exitCode: 4,
      message: "The account is disabled (code 10003)",
    },
    {
      name: "deleted account",
      error: () => apiError(422, { Code: 10002, Error: "Account deleted" }),
      exitCode: 4,
      message: "The account is deleted (code 10002)",
    },
    {
      name: "security key only",
      error: () => new UnsupportedSecondFactorError("Cannot send a 2FA code: security key."),
      exitCode: 4,
      message: "Cannot send a 2FA code",
    },
    {
      name: "human verification at login",
      error: () =>
        apiError(422, {
          Code: 9001,
          Error: "Human verification required",
          Details: {
            HumanVerificationToken: "hv-token",
            HumanVerificationMethods: ["captcha", "email"],
            WebUrl: "https://verify.proton.me/?token=hv-token",
          },
        }),
      exitCode: 5,
      message:
        "Open https://verify.proton.me/?token=hv-token in a browser and solve it, then run `proton-demo login` again with --verification-token TOKEN --verification-type captcha.",
    },
    {
      name: "human verification elsewhere",
      error: () =>
        apiError(422, { Code: 9001, Error: "Human verification required" }, USERS_REQUEST),
      exitCode: 5,
      message:
        "Human verification required (code 9001) for GET https://mail-api.proton.me/core/v4/users",
    },
    {
      name: "rejected verification token",
      error: () => apiError(422, { Code: 12087, Error: "Invalid verification token" }),
      exitCode: 5,
      message: "The API rejected the human verification token (code 12087)",
    },
    {
      name: "login throttling",
      error: () =>
        createApiError({
          status: 429,
          headers: { "retry-after": "90" },
          body: { Code: 2028, Error: "Too many recent logins" },
          request: LOGIN_REQUEST,
        }),
      exitCode: 6,
      message: "Throttled: the API rejected login attempts for now (HTTP 429, code 2028)",
    },
    {
      name: "rate limit without Retry-After",
      error: () => apiError(429, { Code: 429, Error: "Too many requests" }, USERS_REQUEST),
      exitCode: 6,
      message: "Wait a while and try again.",
    },
    {
      name: "expired session",
      error: () => apiError(422, { Code: 10013, Error: "Invalid refresh token" }),
      exitCode: 3,
      message: "The session has expired",
    },
    {
      name: "missing scope",
      error: () =>
        apiError(
          403,
          { Code: 403, Error: "Access token does not have sufficient scope" },
          USERS_REQUEST,
        ),
      exitCode: 8,
      message: "The session lacks the scope for GET https://mail-api.proton.me/core/v4/users",
    },
    {
      name: "outdated app version",
      error: () =>
        apiError(400, { Code: 5003, Error: "This version of the app is no longer supported" }),
      exitCode: 8,
      message: "The API rejected the app version as outdated (code 5003)",
    },
    {
      name: "other API error",
      error: () => apiError(500, { Code: 500, Error: "Internal error" }, USERS_REQUEST),
      exitCode: 8,
      message: "Internal error",
    },
  ];

  for (const testCase of cases) {
    it(`maps ${testCase.name}`, () => {
      const failure = describeFailure(testCase.error());

      expect(failure.exitCode).toBe(testCase.exitCode);
      expect(failure.message).toContain(testCase.message);
      expect(failure.message).not.toContain(SECRET);
    });
  }
});

describe("describeFailure for other errors", () => {
  it("maps a pin mismatch to exit 7", () => {
    const error = new PinningError("Pin mismatch.", {
      host: "mail-api.proton.me",
      port: 443,
      servedPins: ["c2VydmVk"],
      expectedPins: ["ZXhwZWN0ZWQ="],
    });

    const failure = describeFailure(error);

    expect(failure.exitCode).toBe(7);
    expect(failure.message).toContain("Certificate pin mismatch for mail-api.proton.me:443");
    expect(failure.message).toContain("c2VydmVk");
  });

  it("maps network errors to exit 7", () => {
    const refused = new NetworkError("Connection refused by 127.0.0.1:1.", {
      request: USERS_REQUEST,
    });
    const timeout = new TimeoutError("Timed out after 10000 ms.", {
      timeoutMs: 10_000,
      phase: "connect",
    });

    expect(describeFailure(refused).exitCode).toBe(7);
    expect(describeFailure(refused).message).toContain(
      "Connection refused by 127.0.0.1:1. Check the API URL and the network.",
    );
    expect(describeFailure(refused).message).not.toContain(SECRET);
    expect(describeFailure(timeout).exitCode).toBe(7);
  });

  it("maps an invalid session dump to exit 3", () => {
    let error: unknown;
    try {
      Session.load({ api_url: "https://mail-api.proton.me" });
    } catch (thrown) {
      error = thrown;
    }

    const failure = describeFailure(error);

    expect(failure.exitCode).toBe(3);
    expect(failure.message).toContain("The session file cannot be used: ");
    expect(failure.message).toContain("Run `proton-demo login` again.");
  });

  it("maps the CLI's own errors", () => {
    expect(describeFailure(new UsageError("Invalid --pin.")).exitCode).toBe(2);
    expect(describeFailure(new NotLoggedInError("Not logged in.")).exitCode).toBe(3);
    expect(describeFailure(new PromptCancelledError("Cancelled.")).exitCode).toBe(1);
  });

  it("maps anything else to exit 1", () => {
    expect(describeFailure(new Error("Disk full.")).message).toBe("Disk full.");
    expect(describeFailure(new Error("Disk full.")).exitCode).toBe(1);
    expect(describeFailure("a string").message).toBe("Unexpected failure: a string");
  });

  it("names the program in login hints", () => {
    const error = apiError(422, { Code: 10013, Error: "Invalid refresh token" });

    expect(describeFailure(error, { program: "my-cli" }).message).toContain(
      "Run `my-cli login` again.",
    );
  });
});
