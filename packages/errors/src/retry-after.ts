/**
 * Parses a `Retry-After` header value (RFC 9110, section 10.2.3) into milliseconds.
 *
 * The value is either a non-negative whole number of seconds or an HTTP date. A date in the
 * past yields 0. Anything else (negative numbers, fractions, garbage, an empty value) yields
 * `undefined` so the caller falls back to its own delay. Very large values are returned as
 * they are: capping the wait is the caller's policy.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const text = value.trim();
  if (text === "") {
    return undefined;
  }

  if (isDigits(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : Number.MAX_SAFE_INTEGER;
  }

  // An HTTP date always contains a letter (the day or month name) and a colon (the time).
  // Requiring both keeps numbers such as "-5" or "1.5" away from Date.parse, which would
  // otherwise read them as years.
  if (!/[A-Za-z]/.test(text) || !text.includes(":")) {
    return undefined;
  }
  const date = Date.parse(text);
  if (Number.isNaN(date)) {
    return undefined;
  }
  return Math.max(0, date - now);
}

function isDigits(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char < 48 || char > 57) {
      return false;
    }
  }
  return true;
}
