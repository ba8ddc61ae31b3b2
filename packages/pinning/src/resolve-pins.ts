import { PinningError } from "@proton/errors";
import { validatePins } from "./pin-format.js";
import { findPinSet } from "./pin-sets.js";

export interface ResolvePinsOptions {
  hostname: string;
  port: number;
  /** Pins given by the caller; they replace the published set for every host. */
  pins?: readonly string[] | undefined;
}

/**
 * Returns the pins a connection to `hostname` must match: the caller's pins when given,
 * otherwise the published Proton set for the host. Throws a `PinningError` when neither
 * exists, so an unknown host is never connected to without a pin check.
 */
export function resolvePins(options: ResolvePinsOptions): readonly string[] {
  if (options.pins !== undefined) {
    const pins = validatePins(options.pins);
    if (pins.length > 0) {
      return pins;
    }
  }

  const set = findPinSet(options.hostname);
  if (set !== undefined && set.pins.length > 0) {
    return set.pins;
  }

  throw new PinningError(
    `No pins are known for ${options.hostname}: pass the server's SPKI SHA-256 pins ` +
      `in the pins option, or turn pinning off for servers that are not Proton's.`,
    { host: options.hostname, port: options.port, servedPins: [], expectedPins: [] },
  );
}
