import { NetworkError, type TransportErrorOptions } from "./network-error.js";

export interface PinningErrorOptions extends TransportErrorOptions {
  host: string;
  port: number;
  /** SPKI SHA-256 pins (base64) of the certificates the server presented, leaf first. */
  servedPins: readonly string[];
  /** The pins that would have been accepted. */
  expectedPins: readonly string[];
}

/**
 * The server's certificate chain matched none of the pinned keys. This is not a transient
 * failure: something between the client and the server is presenting another key, or the pin
 * set is out of date.
 */
export class PinningError extends NetworkError {
  static override readonly brand: string = "PinningError";

  readonly host: string;
  readonly port: number;
  readonly servedPins: readonly string[];
  readonly expectedPins: readonly string[];

  constructor(message: string, options: PinningErrorOptions) {
    super(message, options);
    this.host = options.host;
    this.port = options.port;
    this.servedPins = Object.freeze([...options.servedPins]);
    this.expectedPins = Object.freeze([...options.expectedPins]);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      host: this.host,
      port: this.port,
      servedPins: this.servedPins,
      expectedPins: this.expectedPins,
    };
  }
}
