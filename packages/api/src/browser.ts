export { Session } from "./browser-session.js";
export * from "./shared-exports.js";
