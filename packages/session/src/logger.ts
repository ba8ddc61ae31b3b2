/** Fields attached to a log entry. The session puts ids, statuses and delays here, never a secret. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logger a session writes to. The method names match `console` and the common Node.js
 * loggers (pino, winston, bunyan), so most can be passed as they are or through a small adapter.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function ignore(): void {}

/** A logger that discards every entry; the default of a session. */
export const silentLogger: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});
