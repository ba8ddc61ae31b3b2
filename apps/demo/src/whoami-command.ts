import type { Command } from "commander";
import { addConnectionFlags, type ConnectionFlags } from "./connection-flags.js";
import { formatReply } from "./printable-reply.js";
import { Spinner } from "./progress.js";
import { openStoredSession } from "./stored-session.js";

interface WhoamiFlags extends ConnectionFlags {
  json?: boolean;
}

/** Adds `whoami`: prints the logged-in user from `GET /core/v4/users`. */
export function addWhoamiCommand(program: Command): void {
  const command = program
    .command("whoami")
    .description("Print the logged-in user (GET /core/v4/users) with the saved session.")
    .option("--json", "print the API's User object as JSON");
  addConnectionFlags(command).action(async (flags: WhoamiFlags) => {
    await whoami(flags);
  });
}

async function whoami(flags: WhoamiFlags): Promise<void> {
  const stored = await openStoredSession(flags);
  const { session } = stored;
  try {
    const body = await new Spinner().during("Reading the user", () =>
      session.apiRequest("/core/v4/users"),
    );
    stored.checkPersisted();

    const user = body["User"];
    if (flags.json === true) {
      process.stdout.write(`${formatReply(user)}\n`);
      return;
    }
    const fields =
      typeof user === "object" && user !== null ? (user as Record<string, unknown>) : {};
    const name = String(fields["Name"] ?? "");
    const email = String(fields["Email"] ?? "");
    const displayName = String(fields["DisplayName"] ?? "");
    process.stdout.write(
      `${name} <${email}>${displayName === "" ? "" : ` (${displayName})`}\nAPI: ${session.apiUrl}\nScopes: ${session.scopes.join(" ")}\n`,
    );
  } finally {
    await stored.session.close();
  }
}
