import type { SessionLoadOptions, SessionOptions } from "@proton/session";
import type { Transport } from "@proton/transport";

/** Options for the transport the facade creates when the caller passes none. */
export interface TransportChoiceOptions {
  /**
   * Node.js only. Check Proton hosts against Proton's published pin sets. Default true; a host
   * without a known pin set then needs `pins`. `false` keeps normal CA validation.
   */
  pinning?: boolean | undefined;
  /** Node.js only. SPKI SHA-256 pins (base64) accepted for every host, such as a test server's. */
  pins?: readonly string[] | undefined;
  /** Node.js only. Extra trusted CA certificates (PEM), such as `@proton/fake-api`'s `ca`. */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
  /** Node.js only. An HTTP(S) proxy URL, or "env" to use `HTTPS_PROXY` and `NO_PROXY`. */
  proxy?: string | undefined;
  /** Browsers only. The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
}

/**
 * Options of the facade's `Session`: those of `@proton/session`, with the transport optional.
 * Without one, the session creates a transport for the platform and closes it in `close()`.
 */
export type ApiSessionOptions = Omit<SessionOptions, "transport"> & {
  transport?: Transport | undefined;
} & TransportChoiceOptions;

/** Options of the facade's `Session.load`: as for `@proton/session`, with the transport optional. */
export type ApiSessionLoadOptions = Omit<SessionLoadOptions, "transport"> & {
  transport?: Transport | undefined;
} & TransportChoiceOptions;
