import { createRequire } from "node:module";
import { type ApiSessionOptions, findPinSet, type Logger, Session } from "@proton/api";

import { UsageError } from "./usage-error.js";

/** `x-pm-appversion` of the demo when `--app-version` is not given. */
export const DEFAULT_APP_VERSION = "Other";

/** `User-Agent` of the demo, with the version from its package.json (one folder above `dist`). */
export const USER_AGENT = `proton-ts-demo/${(createRequire(import.meta.url)("../package.json") as { version: string }).version}`;

/** How to reach and trust an API server. */
export interface ConnectionOptions {
  /** SPKI SHA-256 pins (base64) for a server that is not Proton's; Proton hosts use the published sets. */
  pins?: readonly string[] | undefined;
  /** Extra trusted CA certificate (PEM), such as the fake API's test CA. */
  ca?: string | undefined;
  logger?: Logger | undefined;
  onTokenChange?: ApiSessionOptions["onTokenChange"];
  /** Reads the session file again when the server rejects the refresh token. */
  reloadDump?: ApiSessionOptions["reloadDump"];
}

/**
 * Checks that `apiUrl` is an HTTPS URL whose certificate can be pinned: a Proton host (checked
 * against Proton's published pin sets, so `pins` must be empty) or another host with `pins`.
 * Throws `UsageError` naming the option to change.
 */
export function checkApiUrl(apiUrl: string, pins: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new UsageError(
      `Invalid --api-url ${JSON.stringify(apiUrl)}: use an HTTPS URL such as https://mail-api.proton.me.`,
    );
  }
  if (url.protocol !== "https:") {
    throw new UsageError(
      `Invalid --api-url ${apiUrl}: only https URLs are supported, such as https://mail-api.proton.me.`,
    );
  }

  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const protonHost = findPinSet(hostname) !== undefined;
  if (protonHost && pins.length > 0) {
    throw new UsageError(
      `Invalid --pin for ${hostname}: it is a Proton host, checked against Proton's published pins. Remove --pin.`,
    );
  }
  if (!protonHost && pins.length === 0) {
    throw new UsageError(
      `Missing --pin for ${hostname}: it is not a Proton host, so pass the SPKI SHA-256 pin (base64) of its certificate.`,
    );
  }
  return url;
}

/**
 * Creates a session whose transport checks Proton hosts against Proton's pin sets and other
 * hosts against `pins`. Call `session.close()` to end its keep-alive connections.
 */
export function createSession(
  apiUrl: string,
  appVersion: string,
  options: ConnectionOptions,
): Session {
  return new Session({ apiUrl, appVersion, userAgent: USER_AGENT, ...sessionOptions(options) });
}

/** Restores a session from a dump, with a transport as `createSession` makes it. */
export function loadSession(dump: unknown, options: ConnectionOptions): Session {
  return Session.load(dump, sessionOptions(options));
}

function sessionOptions(
  options: ConnectionOptions,
): Pick<ApiSessionOptions, "pins" | "ca" | "logger" | "onTokenChange" | "reloadDump"> {
  return {
    ...(options.pins === undefined || options.pins.length === 0 ? {} : { pins: options.pins }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.onTokenChange === undefined ? {} : { onTokenChange: options.onTokenChange }),
    ...(options.reloadDump === undefined ? {} : { reloadDump: options.reloadDump }),
  };
}
