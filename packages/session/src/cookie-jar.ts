/**
 * The cookies the API sets, sent back on every request, as the Python client's `requests`
 * session does. All cookies belong to the one API host of the session.
 *
 * NOTE: `Domain` and `Path` attributes are ignored, because every request goes to the same
 * host; `Max-Age` and `Expires` are only read to delete a cookie.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [name, value] of Object.entries(initial)) {
      this.#cookies.set(name, value);
    }
  }

  /** Returns the `Cookie` header value, or `undefined` when the jar is empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) {
      return undefined;
    }
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /**
   * Stores the cookies of a `set-cookie` response header. Transports join repeated headers
   * with ", ", so the value is split before each `name=` that follows a comma. A comma inside
   * an `Expires` date is followed by a space and a digit instead, so it stays.
   */
  storeSetCookie(headerValue: string | undefined, now: number = Date.now()): void {
    if (headerValue === undefined || headerValue === "") {
      return;
    }
    for (const cookie of headerValue.split(/,\s*(?=[^;,=\s]+=)/)) {
      this.#storeOne(cookie, now);
    }
  }

  #storeOne(cookie: string, now: number): void {
    const [pair = "", ...attributes] = cookie.split(";");
    const equals = pair.indexOf("=");
    if (equals <= 0) {
      return;
    }
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();

    if (isExpired(attributes, now)) {
      this.#cookies.delete(name);
    } else {
      this.#cookies.set(name, value);
    }
  }

  /** Returns the cookies as a name-to-value object, the shape of the Python client's dump. */
  toRecord(): Record<string, string> {
    return Object.fromEntries(this.#cookies);
  }
}

function isExpired(attributes: readonly string[], now: number): boolean {
  for (const attribute of attributes) {
    const equals = attribute.indexOf("=");
    const name = (equals === -1 ? attribute : attribute.slice(0, equals)).trim().toLowerCase();
    const value = equals === -1 ? "" : attribute.slice(equals + 1).trim();

    if (name === "max-age" && /^-?\d+$/.test(value)) {
      return Number(value) <= 0;
    }
    if (name === "expires") {
      const time = Date.parse(value);
      if (!Number.isNaN(time) && time <= now) {
        return true;
      }
    }
  }
  return false;
}
