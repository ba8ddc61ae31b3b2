import type { SessionLoadOptions } from "@proton/session";
import { createFetchTransport } from "@proton/transport-fetch";
import { ApiSession } from "./api-session.js";
import type { ApiSessionLoadOptions, ApiSessionOptions } from "./api-session-options.js";

/**
 * A Proton API session for browsers. Without a `transport` option it uses
 * `@proton/transport-fetch`; the browser validates certificates, and pinning is not possible
 * because `fetch` exposes no TLS details.
 */
export class Session extends ApiSession {
  constructor(options: ApiSessionOptions) {
    super(options, (choice) => {
      if (choice.pins !== undefined || choice.ca !== undefined || choice.proxy !== undefined) {
        throw new TypeError(
          "The pins, ca and proxy options need Node.js, because a browser validates certificates itself. Remove them, or pass a transport.",
        );
      }
      return createFetchTransport({ fetch: choice.fetch });
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
