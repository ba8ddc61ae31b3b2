export {
  createPinFailureReport,
  type PinFailureReport,
  type PinFailureReportInput,
} from "./pin-failure-report.js";
export { validatePins } from "./pin-format.js";
export {
  ALTERNATIVE_ROUTING_PIN_SET,
  findPinSet,
  type PinSet,
  PROTON_API_PIN_SET,
  PROTON_LEGACY_PIN_SET,
  PROTON_ME_PIN_SET,
  PROTON_PIN_SETS,
} from "./pin-sets.js";
export { type ResolvePinsOptions, resolvePins } from "./resolve-pins.js";
export {
  certificateChain,
  createPinnedServerIdentityCheck,
  createPinnedTlsOptions,
  type PinnedServerIdentityOptions,
  type ServerIdentityCheck,
} from "./server-identity.js";
export { type CertificateInput, spkiPin, spkiPinFromPublicKeyDer } from "./spki-pin.js";
