export { Session } from "./node-session.js";
export * from "./shared-exports.js";
