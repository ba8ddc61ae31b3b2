import { handleAddresses, handleKeySalts, handlePing, handleUsers } from "./account-routes.js";
import {
  handle2fa,
  handleInfo,
  handleLogin,
  handleLogout,
  handleRefresh,
  handleSessions,
} from "./auth-routes.js";
import type { RouteHandler } from "./server-state.js";

/** Handlers by normalised route. */
export const ROUTES: ReadonlyMap<string, RouteHandler> = new Map([
  ["POST /auth/v4/info", handleInfo],
  ["POST /auth/v4", handleLogin],
  ["POST /auth/v4/2fa", handle2fa],
  ["POST /auth/v4/refresh", handleRefresh],
  ["DELETE /auth/v4", handleLogout],
  ["GET /auth/v4/sessions", handleSessions],
  ["GET /tests/ping", handlePing],
  ["GET /core/v4/users", handleUsers],
  ["GET /core/v4/addresses", handleAddresses],
  ["GET /core/v4/keys/salts", handleKeySalts],
]);

/** Paths of the older auth routes (used by Proton's Python client) and their v4 forms. */
const LEGACY_PATHS: ReadonlyMap<string, string> = new Map([
  ["/auth", "/auth/v4"],
  ["/auth/info", "/auth/v4/info"],
  ["/auth/2fa", "/auth/v4/2fa"],
  ["/auth/refresh", "/auth/v4/refresh"],
]);

/**
 * Returns the normalised path: without a trailing slash, with a legacy auth path replaced by
 * its v4 form. "/auth/refresh/" becomes "/auth/v4/refresh".
 */
export function normalisePath(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return LEGACY_PATHS.get(trimmed) ?? trimmed;
}

/** Returns the methods served at a normalised path, for a 405 answer's `Allow` header. */
export function allowedMethods(path: string): string[] {
  const methods: string[] = [];
  for (const route of ROUTES.keys()) {
    const [method, routePath] = route.split(" ");
    if (routePath === path && method !== undefined) {
      methods.push(method);
    }
  }
  return methods;
}
