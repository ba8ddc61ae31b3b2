import { runDemo } from "./demo-flow.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { parseJsonOption } from "./option-values.js";
import { Spinner } from "./progress.js";
import { createStderrLogger } from "./stderr-logger.js";
import { formatStepLine, type RunReport } from "./step-runner.js";

export interface DemoFlags {
  json?: boolean;
  verbose?: boolean;
  fault?: string[];
}

/**
 * Runs the demo against the embedded fake API and prints one line per step, or one JSON
 * document `{"ok", "steps": [{"name", "ok", "ms", "detail"}]}` with `--json`. Returns 0 when
 * every step passed and 1 otherwise. Ctrl+C (SIGINT) ends the process with exit code 130.
 */
export async function runDemoCommand(flags: DemoFlags): Promise<ExitCode> {
  const faults = (flags.fault ?? []).map((fault) => parseJsonOption("--fault", fault));
  const json = flags.json === true;
  const verbose = flags.verbose === true;
  const spinner = new Spinner(process.stdout, !json && process.stdout.isTTY === true);
  const started = performance.now();

  const interrupt = (): void => {
    spinner.stop();
    process.stderr.write("Interrupted; the demo stopped before its last step.\n");
    process.exit(EXIT_CODES.interrupted);
  };
  process.once("SIGINT", interrupt);

  let report: RunReport;
  try {
    report = await runDemo({
      spinner,
      onStart: (url) => {
        if (!json) {
          process.stdout.write(`Running the demo against the embedded fake Proton API at ${url}\n`);
        }
      },
      onResult: (result) => {
        if (!json) {
          process.stdout.write(`${formatStepLine(result)}\n`);
        }
      },
      faults,
      ...(verbose ? { logger: createStderrLogger() } : {}),
      ...(verbose
        ? { serverLog: (line: string) => process.stderr.write(`[fake-api] ${line}\n`) }
        : {}),
    });
  } finally {
    process.off("SIGINT", interrupt);
  }

  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (report.ok) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`All ${report.steps.length} steps passed in ${seconds} s.\n`);
  } else {
    const failed = report.steps.at(-1);
    process.stdout.write(`Step ${failed?.name ?? "?"} failed: ${failed?.detail ?? ""}\n`);
  }
  return report.ok ? EXIT_CODES.ok : EXIT_CODES.failure;
}
