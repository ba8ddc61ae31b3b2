import { UnexpectedResponseError } from "@proton/errors";

export interface BodyCollectorOptions {
  status: number;
  contentType?: string | undefined;
  /** Largest body accepted, in bytes; `undefined` means no limit. */
  maxBytes?: number | undefined;
  request?: { method: string; url: string } | undefined;
}

/**
 * Collects response body chunks into one `Uint8Array`, and throws an
 * `UnexpectedResponseError` as soon as the total passes `maxBytes`, so an oversized body is
 * never held in memory in full.
 */
export class BodyCollector {
  readonly #options: BodyCollectorOptions;
  readonly #chunks: Uint8Array[] = [];
  #length = 0;

  constructor(options: BodyCollectorOptions) {
    this.#options = options;
  }

  /** Adds a chunk. Throws an `UnexpectedResponseError` when the body grows past the limit. */
  push(chunk: Uint8Array): void {
    this.#length += chunk.byteLength;
    const { maxBytes } = this.#options;
    if (maxBytes !== undefined && this.#length > maxBytes) {
      throw new UnexpectedResponseError(
        `The response body (HTTP ${this.#options.status}) is larger than the ${maxBytes}-byte ` +
          `limit; raise maxBodyBytes or request a stream.`,
        {
          status: this.#options.status,
          contentType: this.#options.contentType,
          request: this.#options.request,
        },
      );
    }
    this.#chunks.push(chunk);
  }

  /** Returns the collected bytes. */
  finish(): Uint8Array {
    const only = this.#chunks.length === 1 ? this.#chunks[0] : undefined;
    if (only !== undefined) {
      // A plain view, so a Node Buffer chunk does not leak Buffer methods to callers.
      return new Uint8Array(only.buffer, only.byteOffset, only.byteLength);
    }
    const body = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return body;
  }
}
