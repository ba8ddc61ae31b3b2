#!/usr/bin/env node
import { CommanderError } from "commander";
import { createProgram, PROGRAM_NAME } from "./cli-program.js";
import { describeFailure } from "./describe-failure.js";
import { EXIT_CODES } from "./exit-codes.js";

/**
 * Entry point of the `proton-demo` command. The exit code is set, not forced with
 * `process.exit`, so that buffered output reaches a pipe before the process ends.
 */
async function main(): Promise<void> {
  // A reader that closed the pipe early, such as `head`, wants no more output: stop quietly.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") {
      process.exit(process.exitCode ?? EXIT_CODES.ok);
    }
    throw error;
  });

  const program = createProgram((code) => {
    process.exitCode = code;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the help or its error message already.
      process.exitCode = error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
      return;
    }
    const failure = describeFailure(error, { program: PROGRAM_NAME });
    process.stderr.write(`${failure.message}\n`);
    process.exitCode = failure.exitCode;
  }
}

await main();
