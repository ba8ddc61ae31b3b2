/** Frames of the spinner, drawn in turn every `FRAME_INTERVAL_MS`. */
const FRAMES = ["|", "/", "-", "\\"] as const;
const FRAME_INTERVAL_MS = 100;

/**
 * A one-line spinner for slow steps. It draws only when its stream is a terminal, so piped
 * output and `--json` output contain no control characters.
 */
export class Spinner {
  readonly #stream: NodeJS.WriteStream;
  readonly #enabled: boolean;
  #timer: NodeJS.Timeout | undefined;
  #frame = 0;
  #text = "";

  constructor(stream: NodeJS.WriteStream = process.stdout, enabled = stream.isTTY === true) {
    this.#stream = stream;
    this.#enabled = enabled;
  }

  /** Shows `text` after a turning spinner until `stop` is called. */
  start(text: string): void {
    if (!this.#enabled) {
      return;
    }
    this.stop();
    this.#text = text;
    this.#draw();
    this.#timer = setInterval(() => this.#draw(), FRAME_INTERVAL_MS);
    // The spinner alone never keeps the process running.
    this.#timer.unref();
  }

  /** Erases the spinner line. */
  stop(): void {
    if (this.#timer === undefined) {
      return;
    }
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stream.write("\r\x1b[K");
  }

  /** Runs `task` with the spinner showing `text`. */
  async during<T>(text: string, task: () => Promise<T>): Promise<T> {
    this.start(text);
    try {
      return await task();
    } finally {
      this.stop();
    }
  }

  #draw(): void {
    const frame = FRAMES[this.#frame % FRAMES.length];
    this.#frame++;
    this.#stream.write(`\r${frame} ${this.#text}`);
  }
}
