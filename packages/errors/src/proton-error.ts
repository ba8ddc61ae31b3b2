/**
 * The base class of every error this project throws.
 *
 * Each instance carries a brand under `Symbol.for("@proton/errors.brand")`: the list of class
 * names in its prototype chain. `isInstance` reads that brand instead of `instanceof`, so an
 * error thrown by one installed copy of this package is recognised by another copy, or across
 * realms (workers, iframes, vm contexts).
 */

const BRAND = Symbol.for("@proton/errors.brand");

export interface ProtonErrorOptions {
  /** The underlying error, kept as the standard `cause` property. */
  cause?: unknown;
}

interface BrandedClass<T> {
  readonly brand: string;
  readonly prototype: T;
}

function brandsOf(target: unknown): readonly string[] {
  const brands: string[] = [];
  let current: unknown = target;

  while (typeof current === "function") {
    const brand: unknown = Object.hasOwn(current, "brand")
      ? (current as { brand?: unknown }).brand
      : undefined;
    if (typeof brand === "string") {
      brands.push(brand);
    }
    current = Object.getPrototypeOf(current);
  }
  return Object.freeze(brands);
}

export class ProtonError extends Error {
  /** The class name stored in the brand; each subclass sets its own. */
  static readonly brand: string = "ProtonError";

  /**
   * Tells whether `value` is an instance of this class (or a subclass), also when it was
   * created by another copy of this package.
   */
  static isInstance<T>(this: BrandedClass<T>, value: unknown): value is T {
    if (typeof value !== "object" || value === null) {
      return false;
    }
    const brands = (value as { [BRAND]?: unknown })[BRAND];
    return Array.isArray(brands) && brands.includes(this.brand);
  }

  declare readonly [BRAND]: readonly string[];

  constructor(message: string, options: ProtonErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    const brands = brandsOf(new.target);
    Object.defineProperty(this, BRAND, { value: brands, enumerable: false });
    this.name = brands[0] ?? "ProtonError";
  }

  /**
   * Returns the fields that are safe to log or serialise. Subclasses add their own fields and
   * never a password, token, SRP secret or key. The `cause` is reduced to its name and message
   * because a foreign error may carry anything.
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    if (this.cause !== undefined) {
      json["cause"] = describeCause(this.cause);
    }
    return json;
  }
}

function describeCause(cause: unknown): unknown {
  if (ProtonError.isInstance(cause)) {
    return cause.toJSON();
  }
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string"
      ? { name: cause.name, code, message: cause.message }
      : { name: cause.name, message: cause.message };
  }
  return typeof cause === "string" ? cause : String(cause);
}
