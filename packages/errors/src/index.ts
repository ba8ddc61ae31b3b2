export {
  AccountUnavailableError,
  ApiError,
  type ApiErrorOptions,
  AppVersionError,
  type HumanVerificationDetails,
  HumanVerificationRequiredError,
  InvalidCredentialsError,
  InvalidUsernameError,
  InvalidVerificationTokenError,
  MissingScopeError,
  RateLimitError,
  SessionExpiredError,
} from "./api-error.js";
export {
  CertificateError,
  type CertificateErrorOptions,
  type CertificateErrorReason,
} from "./certificate-error.js";
export { API_CODES, type ApiCode, type ApiCodeName, apiCodeName } from "./codes.js";
export { type ApiResponseInfo, createApiError } from "./create-api-error.js";
export {
  NetworkError,
  TimeoutError,
  type TimeoutErrorOptions,
  type TimeoutPhase,
  type TransportErrorOptions,
} from "./network-error.js";
export { PinningError, type PinningErrorOptions } from "./pinning-error.js";
export { ProtonError, type ProtonErrorOptions } from "./proton-error.js";
export { REDACTED, redactHeaders, redactUrl } from "./redact.js";
export { describeRequest, type RequestInfo } from "./request-info.js";
export { parseRetryAfter } from "./retry-after.js";
export { SrpError, type SrpErrorOptions, type SrpErrorReason } from "./srp-error.js";
export {
  UnexpectedResponseError,
  type UnexpectedResponseErrorOptions,
} from "./unexpected-response-error.js";
