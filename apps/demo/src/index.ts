export { createProgram, PROGRAM_NAME } from "./cli-program.js";
export { type DemoOptions, runDemo } from "./demo-flow.js";
export { describeFailure, type Failure, type FailureContext } from "./describe-failure.js";
export { EXIT_CODES, type ExitCode } from "./exit-codes.js";
export { defaultSessionFilePath, writeFileAtomic } from "./session-file.js";
export type { RunReport, StepResult } from "./step-runner.js";
