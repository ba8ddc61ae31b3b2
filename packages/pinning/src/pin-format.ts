const PIN_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Checks that every entry is a base64 SHA-256 pin (44 characters, ending in `=`) and returns a
 * frozen copy. Throws a `TypeError` that names the first invalid entry.
 */
export function validatePins(pins: readonly unknown[], optionName = "pins"): readonly string[] {
  if (!Array.isArray(pins)) {
    throw new TypeError(`${optionName} must be an array of base64 SHA-256 pins.`);
  }
  for (const [index, pin] of pins.entries()) {
    if (typeof pin !== "string" || !PIN_PATTERN.test(pin)) {
      throw new TypeError(
        `${optionName}[${index}] is not a base64 SHA-256 pin (44 characters ending in "="): ` +
          `${JSON.stringify(pin)}. Compute one with spkiPin(certificate).`,
      );
    }
  }
  return Object.freeze([...(pins as string[])]);
}
