export { DEMO_USERS } from "./demo-users.js";
export { FakeApiInputError } from "./fake-api-input-error.js";
export { SIGNED_MODULI } from "./signed-moduli.js";
export { startFakeApi } from "./start-fake-api.js";
export { generateTotp } from "./totp.js";
export type {
  FakeApi,
  FakeApiControl,
  FakeApiOptions,
  FakeUserInput,
  FaultKind,
  FaultSpec,
  RequestLogEntry,
  TokenUse,
} from "./types.js";
export { readUsersFile } from "./user-input.js";
