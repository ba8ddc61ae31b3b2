/** Retry settings of a session, for throttled and failed requests. */
export interface RetryOptions {
  /**
   * Retries that all requests of the session share. Each retry takes one, and any response that
   * is not a 429 or 503 refills the budget. Default 3.
   */
  maxRetries?: number | undefined;
  /**
   * Longest `Retry-After` wait the session accepts, in milliseconds. For a longer one the
   * request fails at once, and the error's `retryAfterMs` is the time to wait before trying
   * again. Default 60 000.
   */
  maxRetryAfterMs?: number | undefined;
  /**
   * Wait before retrying a 429 or 503 without a usable `Retry-After`, in milliseconds, doubled
   * for each further retry of the same request. Also the wait before retrying a 408 or 502.
   * Default 1 000.
   */
  defaultDelayMs?: number | undefined;
}

export interface ResolvedRetryOptions {
  readonly maxRetries: number;
  readonly maxRetryAfterMs: number;
  readonly defaultDelayMs: number;
}

/** Fills in the defaults and checks the values. */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const resolved = {
    maxRetries: options.maxRetries ?? 3,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    defaultDelayMs: options.defaultDelayMs ?? 1_000,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`Invalid retry.${name}: ${value}. Use a whole number of 0 or more.`);
    }
  }
  return resolved;
}

/** The facts about one failed attempt that decide whether to send the request again. */
export interface AttemptOutcome {
  readonly method: string;
  readonly status: number;
  /** The body `Code`, when the body was JSON with one. */
  readonly code: number | undefined;
  /** The parsed `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** Retries of this request after a 429 or 503 so far. */
  readonly throttleRetries: number;
  /** Retries of this request after a 408 or 502 so far. */
  readonly transientRetries: number;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly kind: "throttle" | "transient" }
  | { readonly retry: false; readonly reason: string };

/** Methods that have the same effect when a request is sent twice (RFC 9110, section 9.2.2). */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "OPTIONS",
  "PUT",
  "DELETE",
]);

/** Login throttling codes: a retry of the login extends the throttle. */
const LOGIN_THROTTLE_CODES: ReadonlySet<number> = new Set([2011, 2028]);

/**
 * Decides whether a failed attempt is sent again and after how long.
 *
 * - 429 and 503 mean the server did not process the request, so any method is retried, after
 *   `Retry-After` (or the default delay, doubled per retry). A wait beyond `maxRetryAfterMs` is
 *   not retried. Login throttling (codes 2011 and 2028) is never retried.
 * - 408 and 502 leave unknown whether the server acted, so only idempotent methods are retried,
 *   and only once.
 *
 * The shared budget is not checked here; the caller takes a retry from it.
 */
export function decideRetry(outcome: AttemptOutcome, options: ResolvedRetryOptions): RetryDecision {
  const { status, code } = outcome;

  if (code !== undefined && LOGIN_THROTTLE_CODES.has(code)) {
    return { retry: false, reason: "login throttling is not retried" };
  }

  if (status === 429 || status === 503) {
    const delayMs = outcome.retryAfterMs ?? options.defaultDelayMs * 2 ** outcome.throttleRetries;
    if (delayMs > options.maxRetryAfterMs) {
      return { retry: false, reason: `the wait of ${delayMs} ms exceeds retry.maxRetryAfterMs` };
    }
    return { retry: true, delayMs, kind: "throttle" };
  }

  if (status === 408 || status === 502) {
    if (!IDEMPOTENT_METHODS.has(outcome.method.toUpperCase())) {
      return { retry: false, reason: `${outcome.method} is not idempotent` };
    }
    if (outcome.transientRetries > 0) {
      return { retry: false, reason: "a 408 or 502 is retried only once" };
    }
    const delayMs = Math.min(
      outcome.retryAfterMs ?? options.defaultDelayMs,
      options.maxRetryAfterMs,
    );
    return { retry: true, delayMs, kind: "transient" };
  }

  return { retry: false, reason: `HTTP ${status} is not retried` };
}
