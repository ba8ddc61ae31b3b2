export { type AuthVersionAttempt, getAuthVersionWithFallback } from "./auth-version.js";
export { expandHash } from "./expand-hash.js";
export {
  type ComputeSrpProofsParams,
  computeSrpProofs,
  getSrp,
  type SrpProofs,
  verifyServerProof,
} from "./get-srp.js";
export {
  AUTH_VERSIONS,
  cleanUsername,
  type HashPasswordParams,
  hashPassword,
} from "./hash-password.js";
export { computeKeyPassword } from "./key-password.js";
export { PROTON_MODULUS_KEY } from "./modulus-key.js";
export type { RandomSource } from "./random.js";
export {
  createSrpServerSession,
  type SrpServerSession,
  type SrpServerSessionParams,
} from "./server-session.js";
export type { AuthInfo, Credentials, SrpOptions } from "./types.js";
export {
  type ComputeVerifierParams,
  computeVerifier,
  getRandomSrpVerifier,
  type SrpVerifier,
} from "./verifier.js";
export { verifyModulus } from "./verify-modulus.js";
