import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { collectValues } from "./option-values.js";
import { defaultSessionFilePath } from "./session-file.js";
import { UsageError } from "./usage-error.js";

/** The options every subcommand accepts, as commander parses them. */
export interface ConnectionFlags {
  sessionFile?: string;
  caFile?: string;
  pin?: string[];
  verbose?: boolean;
}

/** Adds `--session-file`, `--ca-file`, `--pin` and `--verbose` to a subcommand. */
export function addConnectionFlags(command: Command): Command {
  return command
    .option("--session-file <path>", `session file (default: ${defaultSessionFilePath()})`)
    .option(
      "--ca-file <path>",
      "extra trusted CA certificate (PEM), such as the fake API's certs/ca.pem",
    )
    .option(
      "--pin <pin>",
      "SPKI SHA-256 pin (base64) of a server that is not Proton's; repeat for several",
      collectValues,
    )
    .option("--verbose", "log requests, refreshes and retries to standard error (no secrets)");
}

/** Returns the session file path from `--session-file`, or the default one. */
export function sessionFilePath(flags: ConnectionFlags): string {
  return flags.sessionFile ?? defaultSessionFilePath();
}

/** Reads the `--ca-file` PEM. Throws `UsageError` when the file cannot be read. */
export async function readCaFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Cannot read --ca-file ${path}: ${reason}`);
  }
}
