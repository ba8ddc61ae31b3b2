import { createInterface, type Interface } from "node:readline";
import { Writable } from "node:stream";
import { UsageError } from "./usage-error.js";

/** A cancelled prompt: the person at the terminal pressed Ctrl+C or Ctrl+D. */
export class PromptCancelledError extends Error {
  override readonly name = "PromptCancelledError";
}

/**
 * Reads one line from a terminal without echoing it, for passwords. The question goes to
 * `output` (standard error by default, so standard output stays clean for scripts).
 */
export async function promptHidden(
  question: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  // readline echoes typed characters to its output; a sink that drops them hides the input.
  const sink = new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
  // The interface puts the terminal in raw mode, which turns off the terminal's own echo. The
  // question is written after that, so a password typed as soon as it appears is not echoed.
  const readline = createInterface({ input, output: sink, terminal: true });
  output.write(question);
  try {
    return await readOneLine(readline);
  } finally {
    readline.close();
    output.write("\n");
  }
}

/** Reads one line from a terminal, echoing it, for one-time codes. */
export async function promptVisible(
  question: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  const readline = createInterface({ input, output, terminal: true });
  readline.setPrompt(question);
  readline.prompt();
  try {
    return await readOneLine(readline);
  } finally {
    readline.close();
  }
}

function readOneLine(readline: Interface): Promise<string> {
  return new Promise((resolve, reject) => {
    readline.once("line", resolve);
    readline.once("SIGINT", () => reject(new PromptCancelledError("Cancelled at the prompt.")));
    readline.once("close", () => reject(new PromptCancelledError("Cancelled at the prompt.")));
  });
}

/**
 * Reads lines from a non-interactive input such as a pipe: the password first, then the 2FA
 * code when the account needs one. Each line is taken as it is, without its line ending.
 */
export class StdinLines {
  readonly #readline: Interface;
  readonly #lines: AsyncIterator<string>;

  constructor(input: NodeJS.ReadableStream = process.stdin) {
    this.#readline = createInterface({
      input,
      terminal: false,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    this.#lines = this.#readline[Symbol.asyncIterator]();
  }

  /** Returns the next line; throws `UsageError` naming `what` when the input has ended. */
  async next(what: string): Promise<string> {
    const result = await this.#lines.next();
    if (result.done === true) {
      throw new UsageError(`Missing ${what} on standard input: write it as one line.`);
    }
    return result.value;
  }

  close(): void {
    this.#readline.close();
  }
}
