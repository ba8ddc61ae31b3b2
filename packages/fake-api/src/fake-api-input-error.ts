import { ProtonError, type ProtonErrorOptions } from "@proton/errors";

/** Invalid input to the fake API's options, users file or control API. */
export class FakeApiInputError extends ProtonError {
  static override readonly brand: string = "FakeApiInputError";

  /** Path of the invalid value, such as "users[2].authVersion" or "fault.kind". */
  readonly field: string;

  constructor(field: string, message: string, options: ProtonErrorOptions = {}) {
    super(`Invalid ${field}: ${message}`, options);
    this.field = field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}
