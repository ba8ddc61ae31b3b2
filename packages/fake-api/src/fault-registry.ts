import { FakeApiInputError } from "./fake-api-input-error.js";
import { normalisePath } from "./routes.js";
import type { FaultKind, FaultSpec } from "./types.js";

const KINDS: ReadonlySet<string> = new Set<FaultKind>([
  "status",
  "rate-limit",
  "html",
  "malformed",
  "delay",
  "reset",
  "hang",
  "non-object",
  "large-body",
]);

const FIELDS: ReadonlySet<string> = new Set([
  "route",
  "kind",
  "status",
  "code",
  "retryAfter",
  "delayMs",
  "bytes",
  "times",
]);

interface ActiveFault {
  id: string;
  spec: FaultSpec;
  method: string;
  path: string;
  remaining: number;
}

/** Injected faults, matched in the order they were added. */
export class FaultRegistry {
  readonly #faults: ActiveFault[] = [];
  #nextId = 1;

  /** Validates and adds a fault; returns its id. */
  add(value: unknown): string {
    const spec = validateFault(value);
    const [method, path] = spec.route === "*" ? ["*", "*"] : spec.route.split(" ");
    const id = `fault-${this.#nextId++}`;
    this.#faults.push({
      id,
      spec,
      method: (method ?? "*").toUpperCase(),
      // A legacy path such as "/auth/refresh" matches its v4 route, like the request log shows.
      path: path === undefined || path === "*" ? "*" : normalisePath(path),
      remaining: spec.times ?? Number.POSITIVE_INFINITY,
    });
    return id;
  }

  clear(id?: string): void {
    if (id === undefined) {
      this.#faults.length = 0;
      return;
    }
    const index = this.#faults.findIndex((fault) => fault.id === id);
    if (index !== -1) {
      this.#faults.splice(index, 1);
    }
  }

  /**
   * Returns the first fault matching a normalised route ("POST /auth/v4") and counts one use;
   * a fault whose `times` are used up is removed.
   */
  take(method: string, path: string): FaultSpec | undefined {
    const index = this.#faults.findIndex(
      (fault) =>
        (fault.method === "*" || fault.method === method) &&
        (fault.path === "*" || fault.path === path),
    );
    const fault = this.#faults[index];
    if (fault === undefined) {
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) {
      this.#faults.splice(index, 1);
    }
    return fault.spec;
  }
}

/** Checks a fault description and returns a copy with only the known fields. */
export function validateFault(value: unknown): FaultSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FakeApiInputError("fault", "expected an object with route and kind.");
  }
  const fields = value as Record<string, unknown>;
  for (const name of Object.keys(fields)) {
    if (!FIELDS.has(name)) {
      throw new FakeApiInputError(
        `fault.${name}`,
        `unknown field; known fields are ${[...FIELDS].join(", ")}.`,
      );
    }
  }

  const route = fields["route"];
  if (typeof route !== "string" || !(route === "*" || /^(\*|[A-Za-z]+) (\*|\/\S*)$/.test(route))) {
    throw new FakeApiInputError(
      "fault.route",
      `expected "METHOD /path", "* /path" or "*", got ${JSON.stringify(route)}.`,
    );
  }
  const kind = fields["kind"];
  if (typeof kind !== "string" || !KINDS.has(kind)) {
    throw new FakeApiInputError("fault.kind", `expected one of ${[...KINDS].join(", ")}.`);
  }
  const spec: FaultSpec = { route, kind: kind as FaultKind };

  for (const name of ["status", "code", "delayMs", "bytes", "times"] as const) {
    const field = fields[name];
    if (field === undefined) {
      continue;
    }
    if (typeof field !== "number" || !Number.isInteger(field) || field < 0) {
      throw new FakeApiInputError(`fault.${name}`, "expected a non-negative integer.");
    }
    spec[name] = field;
  }
  if (spec.status !== undefined && (spec.status < 100 || spec.status > 599)) {
    throw new FakeApiInputError("fault.status", "expected an HTTP status from 100 to 599.");
  }
  if (spec.times === 0) {
    throw new FakeApiInputError(
      "fault.times",
      "expected at least 1; omit it to apply until cleared.",
    );
  }
  if (fields["retryAfter"] !== undefined) {
    if (typeof fields["retryAfter"] !== "string" || /[\r\n]/.test(fields["retryAfter"])) {
      throw new FakeApiInputError("fault.retryAfter", "expected a header value on one line.");
    }
    spec.retryAfter = fields["retryAfter"];
  }
  if (kind === "delay" && spec.delayMs === undefined) {
    throw new FakeApiInputError("fault.delayMs", 'a "delay" fault needs delayMs.');
  }
  return spec;
}
