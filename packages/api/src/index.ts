export {
  findPinSet,
  type PinFailureReport,
  type PinSet,
  PROTON_PIN_SETS,
  spkiPin,
} from "@proton/pinning";
export { Session } from "./node-session.js";
export * from "./shared-exports.js";
