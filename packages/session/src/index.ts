export type { ApiResponseBody } from "./api-response.js";
export { decodeBase32 } from "./base32.js";
export {
  InvalidSessionDumpError,
  type InvalidSessionDumpErrorOptions,
} from "./invalid-session-dump-error.js";
export { type LogFields, type Logger, silentLogger } from "./logger.js";
export type { QueryValue } from "./request-url.js";
export type { RetryOptions } from "./retry-policy.js";
export { Session } from "./session.js";
export {
  SESSION_DUMP_FORMAT_VERSION,
  type SessionData,
  type SessionDump,
} from "./session-dump.js";
export type {
  ApiRequestOptions,
  AuthenticateResult,
  HumanVerificationToken,
  SessionLoadOptions,
  SessionOptions,
  SessionSrpOptions,
  TokenChange,
  TokenChangeReason,
} from "./session-options.js";
export { generateTotp, type TotpOptions } from "./totp.js";
export { readTwoFactor, type TwoFactorStatus } from "./two-factor.js";
export { UnsupportedSecondFactorError } from "./unsupported-second-factor-error.js";
