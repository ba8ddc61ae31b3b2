import { Command } from "commander";
import { type DemoFlags, runDemoCommand } from "./demo-command.js";
import { EXIT_CODES_HELP } from "./exit-codes.js";
import { addLoginCommand } from "./login-command.js";
import { addLogoutCommand } from "./logout-command.js";
import { collectValues } from "./option-values.js";
import { addRefreshCommand } from "./refresh-command.js";
import { addRequestCommand } from "./request-command.js";
import { UsageError } from "./usage-error.js";
import { addWhoamiCommand } from "./whoami-command.js";

/** Name of the command in help text and messages; the package's `bin` entry. */
export const PROGRAM_NAME = "proton-demo";

/**
 * Builds the command line. Without a subcommand it runs the demo against the embedded fake
 * API; the subcommands work with a real API URL and a saved session. `setExitCode` receives
 * the demo's exit code; the subcommands report failure by throwing.
 */
export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command(PROGRAM_NAME)
    .description(
      "Run the whole Proton API client flow against an embedded fake Proton API, or log in to a real API and reuse the session.",
    )
    .option("--json", 'print one JSON document {"ok", "steps": [{"name", "ok", "ms", "detail"}]}')
    .option("--verbose", "log the session's requests and the fake API's lines to standard error")
    .option(
      "--fault <json>",
      'inject a fault into the fake API to see a failing run, such as \'{"route":"POST /auth/v4/2fa","kind":"status","status":500}\'; repeat for several',
      collectValues,
    )
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
The default run starts the fake API on 127.0.0.1 and walks through ping, SRP login, TOTP,
user and addresses, session file save and load, automatic and explicit refresh, a rate limit,
human verification and logout, one line per step.

Against a real API:
  ${PROGRAM_NAME} login --api-url https://mail-api.proton.me --username NAME
  ${PROGRAM_NAME} whoami

${EXIT_CODES_HELP}`,
    )
    .action(async (flags: DemoFlags, command: Command) => {
      const [unknown] = command.args;
      if (unknown !== undefined) {
        throw new UsageError(
          `Unknown command ${JSON.stringify(unknown)}: use login, whoami, request, refresh or logout, or no command for the demo.`,
        );
      }
      setExitCode(await runDemoCommand(flags));
    });

  addLoginCommand(program);
  addWhoamiCommand(program);
  addRequestCommand(program);
  addRefreshCommand(program);
  addLogoutCommand(program);

  // Set after the subcommands are added, which copy the setting when created: only the root
  // accepts extra words, so that its action can name an unknown command.
  program.allowExcessArguments(true);

  for (const command of program.commands) {
    command.addHelpText("after", `\n${EXIT_CODES_HELP}`);
  }
  return program;
}
