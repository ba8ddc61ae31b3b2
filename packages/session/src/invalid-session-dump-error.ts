import { ProtonError, type ProtonErrorOptions } from "@proton/errors";

export interface InvalidSessionDumpErrorOptions extends ProtonErrorOptions {
  /** The dump field that failed validation, such as `session_data.UID`; `""` for the whole dump. */
  field: string;
}

/**
 * A session dump could not be loaded: it is not JSON, not an object, misses a field, has a
 * field of the wrong type, or comes from a newer format. The message names the field and never
 * contains its value, because the field may be a token.
 */
export class InvalidSessionDumpError extends ProtonError {
  static override readonly brand: string = "InvalidSessionDumpError";

  readonly field: string;

  constructor(message: string, options: InvalidSessionDumpErrorOptions) {
    super(message, options);
    this.field = options.field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}
