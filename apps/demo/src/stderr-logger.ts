import type { LogFields, Logger } from "@proton/api";

/**
 * Creates a logger that writes one line per entry to standard error, such as
 * `[info] Refreshed the tokens {"uid":"..."}`. The session puts ids, statuses and delays in the
 * fields, never a password or a token.
 */
export function createStderrLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string, message: string, fields?: LogFields): void => {
    const suffix = fields === undefined ? "" : ` ${JSON.stringify(fields)}`;
    stream.write(`[${level}] ${message}${suffix}\n`);
  };
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}
