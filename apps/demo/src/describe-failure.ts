import {
  AccountUnavailableError,
  ApiError,
  AppVersionError,
  HumanVerificationRequiredError,
  InvalidCredentialsError,
  InvalidSessionDumpError,
  InvalidUsernameError,
  InvalidVerificationTokenError,
  MissingScopeError,
  NetworkError,
  PinningError,
  ProtonError,
  RateLimitError,
  SessionExpiredError,
  UnexpectedResponseError,
  UnsupportedSecondFactorError,
} from "@proton/api";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { NotLoggedInError } from "./not-logged-in-error.js";
import { PromptCancelledError } from "./prompt.js";
import { TwoFactorFailure } from "./two-factor-failure.js";
import { UsageError } from "./usage-error.js";

/** A failure as the CLI reports it: one message for standard error and the exit code. */
export interface Failure {
  readonly message: string;
  readonly exitCode: ExitCode;
}

/** The command's situation, for messages that depend on it. */
export interface FailureContext {
  /** The command name, used in "run login again" hints. Default "proton-demo". */
  readonly program?: string | undefined;
  /** Whether a 2FA code was being sent, so code 8002 means a wrong code, not a wrong password. */
  readonly secondFactor?: boolean | undefined;
}

/**
 * Turns any thrown value into a message and an exit code. `@proton/errors` messages contain no
 * password or token, and the session file path is not a secret, so every message is safe to print.
 */
export function describeFailure(error: unknown, context: FailureContext = {}): Failure {
  const program = context.program ?? "proton-demo";
  const loginHint = `Run \`${program} login\` again.`;

  if (error instanceof TwoFactorFailure) {
    return describeFailure(error.cause, { ...context, secondFactor: true });
  }
  if (error instanceof UsageError) {
    return { message: error.message, exitCode: EXIT_CODES.usage };
  }
  if (error instanceof NotLoggedInError) {
    return { message: error.message, exitCode: EXIT_CODES.notLoggedIn };
  }
  if (error instanceof PromptCancelledError) {
    return { message: error.message, exitCode: EXIT_CODES.failure };
  }
  if (InvalidSessionDumpError.isInstance(error)) {
    return {
      message: `The session file cannot be used: ${error.message} ${loginHint}`,
      exitCode: EXIT_CODES.notLoggedIn,
    };
  }

  if (SessionExpiredError.isInstance(error)) {
    return {
      message: `The session has expired: the API rejected its refresh token. ${loginHint}`,
      exitCode: EXIT_CODES.notLoggedIn,
    };
  }
  if (InvalidCredentialsError.isInstance(error)) {
    const message = context.secondFactor
      ? "Wrong 2FA code (code 8002): the API rejected it. Log in again with the current code from the authenticator app."
      : "Wrong username or password (code 8002): the API rejected the login. Check both and try again.";
    return { message, exitCode: EXIT_CODES.loginRejected };
  }
  if (InvalidUsernameError.isInstance(error)) {
    return {
      message: `Invalid username (code 6003)${quoteServerMessage(error)}. Use the account name or its email address.`,
      exitCode: EXIT_CODES.loginRejected,
    };
  }
  if (AccountUnavailableError.isInstance(error)) {
    return {
      message: `The account is ${error.reason} (code ${error.code})${quoteServerMessage(error)}, so it cannot log in.`,
      exitCode: EXIT_CODES.loginRejected,
    };
  }
  if (UnsupportedSecondFactorError.isInstance(error)) {
    return { message: error.message, exitCode: EXIT_CODES.loginRejected };
  }
  if (HumanVerificationRequiredError.isInstance(error)) {
    return {
      message: describeHumanVerification(error, program),
      exitCode: EXIT_CODES.humanVerification,
    };
  }
  if (InvalidVerificationTokenError.isInstance(error)) {
    return {
      message: `The API rejected the human verification token (code 12087). Run \`${program} login\` without --verification-token to get a new verification, solve it, and try again.`,
      exitCode: EXIT_CODES.humanVerification,
    };
  }
  if (RateLimitError.isInstance(error)) {
    return { message: describeThrottle(error), exitCode: EXIT_CODES.throttled };
  }
  if (MissingScopeError.isInstance(error)) {
    return {
      message: `The session lacks the scope for ${describeRequest(error)} (HTTP 403)${quoteServerMessage(error)}. If the account uses 2FA, log in again and enter the code.`,
      exitCode: EXIT_CODES.api,
    };
  }
  if (AppVersionError.isInstance(error)) {
    return {
      message: `The API rejected the app version as ${error.reason} (code ${error.code})${quoteServerMessage(error)}. Pass --app-version with a version the API accepts, such as "Other".`,
      exitCode: EXIT_CODES.api,
    };
  }

  if (PinningError.isInstance(error)) {
    const served = error.servedPins.length === 0 ? "none" : error.servedPins.join(", ");
    return {
      message: `Certificate pin mismatch for ${error.host}:${error.port}: the server's pins (${served}) match none of the expected ones, so nothing was sent. Check --api-url and --pin.`,
      exitCode: EXIT_CODES.connection,
    };
  }
  if (NetworkError.isInstance(error)) {
    return {
      message: `${error.message} Check the API URL and the network.`,
      exitCode: EXIT_CODES.connection,
    };
  }
  if (UnexpectedResponseError.isInstance(error)) {
    return { message: error.message, exitCode: EXIT_CODES.api };
  }
  if (ApiError.isInstance(error)) {
    return { message: error.message, exitCode: EXIT_CODES.api };
  }
  if (ProtonError.isInstance(error) || error instanceof Error) {
    return { message: error.message, exitCode: EXIT_CODES.failure };
  }
  return { message: `Unexpected failure: ${String(error)}`, exitCode: EXIT_CODES.failure };
}

function describeHumanVerification(error: HumanVerificationRequiredError, program: string): string {
  const { verification } = error;
  const method = verification.methods[0] ?? "captcha";
  const methods =
    verification.methods.length === 0
      ? ""
      : `, with the methods ${verification.methods.join(", ")}`;
  const where =
    verification.webUrl === undefined
      ? "Solve it in the Proton web app"
      : `Open ${verification.webUrl} in a browser and solve it`;
  if (!isLoginRequest(error)) {
    return `Human verification required (code 9001) for ${describeRequest(error)}${methods}. ${where}, then run the command again.`;
  }
  return [
    `Human verification required (code 9001)${methods}.`,
    `${where}, then run \`${program} login\` again with --verification-token TOKEN --verification-type ${method}.`,
    `TOKEN is the token the solved verification returns. A server that accepts the issued token once it is solved, such as @proton/fake-api, takes this one: ${verification.token}`,
  ].join("\n");
}

/** Returns whether the error replies to a login request (`/auth/...`), the only kind `login` can resend. */
function isLoginRequest(error: ApiError): boolean {
  if (error.request === undefined) {
    return true;
  }
  try {
    return new URL(error.request.url).pathname.startsWith("/auth/");
  } catch {
    return true;
  }
}

function describeThrottle(error: RateLimitError): string {
  const wait =
    error.retryAfterMs === undefined ? "a while" : `${Math.ceil(error.retryAfterMs / 1000)} s`;
  const what = error.isLoginThrottle ? "login attempts" : "requests";
  return `Throttled: the API rejected ${what} for now (HTTP ${error.status}, code ${error.code ?? "none"})${quoteServerMessage(error)}. Wait ${wait} and try again.`;
}

function describeRequest(error: ApiError): string {
  return error.request === undefined
    ? "this request"
    : `${error.request.method} ${error.request.url}`;
}

function quoteServerMessage(error: ApiError): string {
  return error.serverMessage === undefined ? "" : `: "${error.serverMessage}"`;
}
