#!/usr/bin/env node
/**
 * Command line of the fake Proton API. Prints one JSON line `{"url","pin","caFile","controlUrl"}`
 * on stdout once listening, then one line per request on stderr, and stops on SIGINT or SIGTERM.
 */
import { parseArgs } from "node:util";
import { DEMO_USERS } from "./demo-users.js";
import { FakeApiInputError } from "./fake-api-input-error.js";
import { startFakeApi } from "./start-fake-api.js";
import type { FakeApiOptions } from "./types.js";
import { readUsersFile } from "./user-input.js";

const USAGE = `Usage: fake-api [options]

Starts a local Proton API on 127.0.0.1 and prints {"url","pin","caFile","controlUrl"} as the
first stdout line.

Options:
  --port PORT               API port; 0 picks a free port (default 0)
  --users FILE              JSON users file: an array of users or {"users": [...]}
                            (default: the demo users alice, bob, carol, dave, erin, legacy*)
  --http                    serve plain HTTP instead of HTTPS
  --token-lifetime SECONDS  access-token lifetime (default 86400)
  -h, --help                print this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      users: { type: "string" },
      http: { type: "boolean", default: false },
      "token-lifetime": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }

  const options: FakeApiOptions = {
    port: parseInteger("--port", values.port),
    http: values.http,
    users: values.users === undefined ? DEMO_USERS : await readUsersFile(values.users),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  };
  if (values["token-lifetime"] !== undefined) {
    options.tokenLifetimeSeconds = parseInteger("--token-lifetime", values["token-lifetime"]);
  }

  const api = await startFakeApi(options);

  // Handlers go in before the first line is printed: a signal that arrives before Node has a
  // listener kills the process with the default action instead of stopping it cleanly.
  const stop = (signal: string): void => {
    process.stderr.write(`${signal} received, stopping\n`);
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`failed to stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));

  const names = (options.users ?? []).map((user) => user.username).join(", ");
  process.stderr.write(
    `fake API listening on ${api.url}, control API on ${api.controlUrl}, users: ${names}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({ url: api.url, pin: api.pin, caFile: api.caFile, controlUrl: api.controlUrl })}\n`,
  );
}

function parseInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new FakeApiInputError(flag, `expected a non-negative integer, got "${text}".`);
  }
  return value;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`fake-api: ${message}\n${USAGE}`);
  process.exit(2);
});
