import type { Command } from "commander";
import { addConnectionFlags, type ConnectionFlags } from "./connection-flags.js";
import { Spinner } from "./progress.js";
import { openStoredSession } from "./stored-session.js";

/** Adds `logout`: ends the session on the server and removes the session file. */
export function addLogoutCommand(program: Command): void {
  const command = program
    .command("logout")
    .description(
      "End the saved session on the server and remove the session file. The file is removed even when the request fails.",
    );
  addConnectionFlags(command).action(async (flags: ConnectionFlags) => {
    await logout(flags);
  });
}

async function logout(flags: ConnectionFlags): Promise<void> {
  const stored = await openStoredSession(flags);
  try {
    await new Spinner().during("Logging out", () => stored.session.logout());
    stored.checkPersisted();
    process.stdout.write(`Logged out. Removed ${stored.path}\n`);
  } finally {
    await stored.session.close();
  }
}
