import type { RequestLogEntry } from "./types.js";

/** Entries kept; older ones are dropped so a long-running server does not grow without bound. */
const MAX_ENTRIES = 10_000;

export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > MAX_ENTRIES) {
      this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
    }
  }

  /** Returns a frozen copy, so later requests do not change what a test holds. */
  entries(): readonly RequestLogEntry[] {
    return Object.freeze(this.#entries.map((entry) => Object.freeze({ ...entry })));
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

/**
 * Formats one request as a log line, such as
 * `POST /auth/v4/refresh 200 code=1000 uid=abcd... token=refresh:1a2b3c4d 12ms`.
 * The line carries the token's short id and never the token.
 */
export function formatLogLine(entry: RequestLogEntry, durationMs: number): string {
  const parts = [entry.method, entry.path, String(entry.status)];
  if (entry.code !== undefined) {
    parts.push(`code=${entry.code}`);
  }
  if (entry.uid !== undefined) {
    parts.push(`uid=${printable(entry.uid)}`);
  }
  parts.push(
    entry.tokenId === undefined ? `token=${entry.token}` : `token=${entry.token}:${entry.tokenId}`,
  );
  if (entry.fault !== undefined) {
    parts.push(`fault=${entry.fault}`);
  }
  parts.push(`${Math.round(durationMs)}ms`);
  return parts.join(" ");
}

/** Keeps a client-chosen value on one line and short, so it cannot forge or flood log lines. */
function printable(value: string): string {
  return value.replace(/[^\x21-\x7e]/g, "?").slice(0, 64);
}
