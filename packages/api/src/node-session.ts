import type { SessionLoadOptions } from "@proton/session";
import { createNodeTransport } from "@proton/transport-node";
import { ApiSession } from "./api-session.js";
import type { ApiSessionLoadOptions, ApiSessionOptions } from "./api-session-options.js";

/**
 * A Proton API session for Node.js. Without a `transport` option it uses
 * `@proton/transport-node`: Proton hosts are checked against Proton's pin sets, and any other
 * host needs `pins` (or `pinning: false`).
 */
export class Session extends ApiSession {
  constructor(options: ApiSessionOptions) {
    super(options, (choice) => {
      if (choice.fetch !== undefined) {
        throw new TypeError(
          "The fetch option applies to browsers only; in Node.js pass a transport instead.",
        );
      }
      return createNodeTransport({
        pinning: choice.pinning,
        pins: choice.pins,
        ca: choice.ca,
        proxy: choice.proxy,
      });
    });
  }

  /**
   * Restores a session from a dump (see `@proton/session`). Without a `transport` option the
   * session creates one as the constructor does.
   */
  static override load(dump: unknown, options: ApiSessionLoadOptions = {}): Session {
    // The base `load` calls `new this(...)`, so this class's constructor adds the transport.
    return super.load(dump, options as SessionLoadOptions) as Session;
  }
}
