import { Session as BaseSession } from "@proton/session";
import type { Transport } from "@proton/transport";
import type { ApiSessionOptions, TransportChoiceOptions } from "./api-session-options.js";

/** Creates the platform's transport from the facade options. */
export type TransportFactory = (options: TransportChoiceOptions) => Transport;

/**
 * The facade's session: a `@proton/session` `Session` that creates its own transport when the
 * caller passes none, and closes it in `close()`. Each platform entry point subclasses it with
 * its transport factory.
 */
export class ApiSession extends BaseSession {
  readonly #ownedTransport: Transport | undefined;

  constructor(options: ApiSessionOptions, createTransport: TransportFactory) {
    const transport = options.transport ?? createTransport(options);
    super({ ...options, transport });
    this.#ownedTransport = options.transport === undefined ? transport : undefined;
  }

  /**
   * Releases the connections of the transport this session created. A transport passed in the
   * options belongs to the caller and stays open.
   */
  async close(): Promise<void> {
    await this.#ownedTransport?.close?.();
  }
}
