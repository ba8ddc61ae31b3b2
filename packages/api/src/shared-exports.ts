export * from "@proton/errors";
export {
  type ApiRequestOptions,
  type ApiResponseBody,
  type AuthenticateResult,
  decodeBase32,
  generateTotp,
  type HumanVerificationToken,
  InvalidSessionDumpError,
  type LogFields,
  type Logger,
  type QueryValue,
  type RetryOptions,
  readTwoFactor,
  SESSION_DUMP_FORMAT_VERSION,
  type SessionData,
  type SessionDump,
  type SessionSrpOptions,
  silentLogger,
  type TokenChange,
  type TokenChangeReason,
  type TotpOptions,
  type TwoFactorStatus,
  UnsupportedSecondFactorError,
} from "@proton/session";
export type {
  HttpMethod,
  Transport,
  TransportRequest,
  TransportResponse,
} from "@proton/transport";
export { ApiSession, type TransportFactory } from "./api-session.js";
export type {
  ApiSessionLoadOptions,
  ApiSessionOptions,
  TransportChoiceOptions,
} from "./api-session-options.js";
