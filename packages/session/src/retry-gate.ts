import { sleep } from "./sleep.js";

/**
 * The retry state shared by all requests of one session: the remaining retry budget and the
 * time before which no request is sent because the server asked for a pause. A burst of
 * concurrent requests that all meet a 429 therefore waits once and retries at most
 * `maxRetries` times in total, instead of once per request.
 */
export class RetryGate {
  readonly #maxRetries: number;
  #remaining: number;
  #pausedUntil = 0;

  constructor(maxRetries: number) {
    this.#maxRetries = maxRetries;
    this.#remaining = maxRetries;
  }

  /** Retries left before the next response that is not a 429 or 503. */
  get remaining(): number {
    return this.#remaining;
  }

  /** Takes one retry from the budget; returns false when none is left. */
  tryTakeRetry(): boolean {
    if (this.#remaining <= 0) {
      return false;
    }
    this.#remaining--;
    return true;
  }

  /** Restores the full budget; called for every response that is not a 429 or 503. */
  refill(): void {
    this.#remaining = this.#maxRetries;
  }

  /** Holds back every request of the session for `ms` milliseconds from now. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }

  /**
   * Waits until the pause set by `pause` is over, and returns `undefined` then. A pause longer
   * than `maxWaitMs` is not waited for: the remaining milliseconds are returned at once. A
   * caller's abort ends the wait.
   */
  async waitForOpening(maxWaitMs: number, signal?: AbortSignal): Promise<number | undefined> {
    for (;;) {
      const remainingMs = this.#pausedUntil - Date.now();
      if (remainingMs <= 0) {
        return undefined;
      }
      if (remainingMs > maxWaitMs) {
        return remainingMs;
      }
      await sleep(remainingMs, signal);
    }
  }
}
