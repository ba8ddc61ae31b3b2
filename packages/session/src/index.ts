export { decodeBase32 } from "./base32.js";
export { type LogFields, type Logger, silentLogger } from "./logger.js";
export { generateTotp, type TotpOptions } from "./totp.js";
export { readTwoFactor, type TwoFactorStatus } from "./two-factor.js";
