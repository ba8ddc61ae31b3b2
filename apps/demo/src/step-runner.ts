import { describeFailure } from "./describe-failure.js";
import type { Spinner } from "./progress.js";

/** One step of the demo. `run` returns a one-line detail, or throws when the step failed. */
export interface Step {
  /** Short identifier, such as `auto-refresh`, used in `--json` output. */
  readonly name: string;
  /** Description of the step, shown next to the spinner. */
  readonly title: string;
  run(): Promise<string>;
}

/** The outcome of one step, as `--json` prints it. */
export interface StepResult {
  readonly name: string;
  readonly ok: boolean;
  /** Duration in milliseconds, rounded to whole milliseconds. */
  readonly ms: number;
  readonly detail: string;
}

/** The outcome of a run: `ok` is true when every step passed. */
export interface RunReport {
  readonly ok: boolean;
  readonly steps: readonly StepResult[];
}

/**
 * Runs `steps` in order and stops at the first failure, because each step builds on the state
 * the previous ones left. `onResult` receives each result as soon as it is known.
 */
export async function runSteps(
  steps: readonly Step[],
  spinner: Spinner,
  onResult: (result: StepResult) => void,
): Promise<RunReport> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const started = performance.now();
    let result: StepResult;
    try {
      const detail = await spinner.during(step.title, () => step.run());
      result = { name: step.name, ok: true, ms: elapsedSince(started), detail };
    } catch (error) {
      const detail = describeFailure(error).message;
      result = { name: step.name, ok: false, ms: elapsedSince(started), detail };
    }
    results.push(result);
    onResult(result);
    if (!result.ok) {
      return { ok: false, steps: results };
    }
  }
  return { ok: true, steps: results };
}

/** Formats a result as one line: status, name, duration and detail. */
export function formatStepLine(result: StepResult): string {
  const status = result.ok ? "ok  " : "FAIL";
  const duration = `${result.ms} ms`.padStart(8);
  return `${status} ${result.name.padEnd(20)}${duration}  ${result.detail}`;
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}
