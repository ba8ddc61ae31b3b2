/** Visible ASCII and spaces: the characters an HTTP header value may contain here. */
const HEADER_TEXT_PATTERN = /^[\x20-\x7e]*$/;

/** Throws a TypeError naming `option` when `value` cannot be sent as a header value. */
export function requireHeaderText(option: string, value: string): void {
  if (!HEADER_TEXT_PATTERN.test(value)) {
    throw new TypeError(
      `Invalid ${option}: it contains a character that cannot be sent in an HTTP header, such as a line break or a non-ASCII letter. Use visible ASCII characters and spaces only.`,
    );
  }
}

/** The largest delay `setTimeout` accepts, 2^31 - 1 ms; Node.js fires a larger one after 1 ms. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Throws a RangeError naming `option` unless `value` is a whole number from 1 to 2^31 - 1. */
export function requireTimeoutMs(option: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new RangeError(
      `Invalid ${option} ${String(value)}: pass a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}.`,
    );
  }
}
