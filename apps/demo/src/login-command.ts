import { type Session, UnsupportedSecondFactorError } from "@proton/api";
import { type Command, Option } from "commander";
import { checkApiUrl, createSession, DEFAULT_APP_VERSION } from "./connect.js";
import {
  addConnectionFlags,
  type ConnectionFlags,
  readCaFile,
  sessionFilePath,
} from "./connection-flags.js";
import { Spinner } from "./progress.js";
import { promptHidden, promptVisible, StdinLines } from "./prompt.js";
import { writeSessionFile } from "./session-file.js";
import { createStderrLogger } from "./stderr-logger.js";
import { addStoredSettings } from "./stored-session.js";
import { TwoFactorFailure } from "./two-factor-failure.js";
import { UsageError } from "./usage-error.js";

interface LoginFlags extends ConnectionFlags {
  apiUrl: string;
  username: string;
  passwordStdin?: boolean;
  appVersion: string;
  verificationToken?: string;
  verificationType?: string;
}

/** Adds `login`: SRP login, the 2FA code when needed, and the session saved to the session file. */
export function addLoginCommand(program: Command): void {
  const command = program
    .command("login")
    .description(
      "Log in with SRP, enter the 2FA code when the account has one, and save the session file.",
    )
    .requiredOption("--api-url <url>", "API base URL, such as https://mail-api.proton.me")
    .requiredOption("--username <name>", "account name or email address")
    .option(
      "--password-stdin",
      "read the password from the first line of standard input, and the 2FA code from the second",
    )
    .option("--app-version <version>", "x-pm-appversion header to send", DEFAULT_APP_VERSION)
    .option(
      "--verification-token <token>",
      "solved human verification token, after a login that required one",
    )
    .addOption(
      new Option("--verification-type <method>", "method of the solved verification").default(
        "captcha",
      ),
    );
  addConnectionFlags(command).action(async (flags: LoginFlags) => {
    await login(flags);
  });
}

async function login(flags: LoginFlags): Promise<void> {
  if (flags.username.trim() === "") {
    throw new UsageError("Invalid --username: it is empty. Pass the account name or address.");
  }
  const pins = flags.pin ?? [];
  const apiUrl = checkApiUrl(flags.apiUrl, pins).href.replace(/\/+$/, "");
  const path = sessionFilePath(flags);
  const ca = flags.caFile === undefined ? undefined : await readCaFile(flags.caFile);
  const stdinLines = flags.passwordStdin === true ? new StdinLines() : undefined;

  try {
    const password = await readPassword(flags.username, stdinLines);
    const session = createSession(apiUrl, flags.appVersion, {
      pins,
      ...(ca === undefined ? {} : { ca }),
      ...(flags.verbose === true ? { logger: createStderrLogger() } : {}),
    });
    try {
      await authenticate(session, flags, password, stdinLines);
      await writeSessionFile(
        path,
        addStoredSettings(session.dump(), { pins, caFile: flags.caFile }),
      );
    } catch (error) {
      // A login that stops half-way ends its server session instead of leaving it open.
      await session.logout().catch(() => undefined);
      throw error;
    } finally {
      await session.close();
    }
    process.stdout.write(
      `Logged in as ${flags.username} on ${apiUrl} (scopes: ${session.scopes.join(" ")}).\nSession saved to ${path}\n`,
    );
  } finally {
    stdinLines?.close();
  }
}

/** Logs in with SRP and, when the account has TOTP, sends the code. */
async function authenticate(
  session: Session,
  flags: LoginFlags,
  password: string,
  stdinLines: StdinLines | undefined,
): Promise<void> {
  const spinner = new Spinner();
  if (flags.verificationToken !== undefined) {
    session.setHumanVerificationToken({
      type: flags.verificationType ?? "captcha",
      token: flags.verificationToken,
    });
  }
  const result = await spinner.during(`Logging in as ${flags.username}`, () =>
    session.authenticate(flags.username, password),
  );
  if (!result.twoFactor.required) {
    return;
  }
  if (!result.twoFactor.totp) {
    throw new UnsupportedSecondFactorError(
      "Cannot complete the login: this account's only second factor is a security key (FIDO2), which this CLI does not support. Enable TOTP on the account to log in here.",
    );
  }

  const code = await readTwoFactorCode(stdinLines);
  try {
    await spinner.during("Checking the 2FA code", () => session.provide2FA(code));
  } catch (error) {
    throw new TwoFactorFailure(error);
  }
}

async function readPassword(username: string, stdinLines: StdinLines | undefined): Promise<string> {
  if (stdinLines !== undefined) {
    const password = await stdinLines.next("the password");
    if (password === "") {
      throw new UsageError(
        "Invalid password: the first line of standard input is empty. Write the account password on it.",
      );
    }
    return password;
  }
  if (process.stdin.isTTY !== true) {
    throw new UsageError(
      "Standard input is not a terminal, so the password cannot be prompted for: pass --password-stdin and write it as the first line.",
    );
  }
  return promptHidden(`Password for ${username}: `);
}

async function readTwoFactorCode(stdinLines: StdinLines | undefined): Promise<string> {
  if (stdinLines !== undefined) {
    return stdinLines.next("the 2FA code (the second line)");
  }
  return promptVisible("2FA code: ");
}
