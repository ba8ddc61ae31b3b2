import type { Command } from "commander";
import { addConnectionFlags, type ConnectionFlags } from "./connection-flags.js";
import { Spinner } from "./progress.js";
import { openStoredSession } from "./stored-session.js";

/** Adds `refresh`: replaces the saved session's access and refresh tokens. */
export function addRefreshCommand(program: Command): void {
  const command = program
    .command("refresh")
    .description("Replace the saved session's access and refresh tokens and save them.");
  addConnectionFlags(command).action(async (flags: ConnectionFlags) => {
    await refresh(flags);
  });
}

async function refresh(flags: ConnectionFlags): Promise<void> {
  const stored = await openStoredSession(flags);
  try {
    await new Spinner().during("Refreshing the tokens", () => stored.session.refresh());
    stored.checkPersisted();
    process.stdout.write(`Refreshed the tokens. Session saved to ${stored.path}\n`);
  } finally {
    await stored.session.close();
  }
}
