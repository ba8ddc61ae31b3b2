import type { Command } from "commander";
import { addConnectionFlags, type ConnectionFlags } from "./connection-flags.js";
import { collectValues, parseJsonOption } from "./option-values.js";
import { formatReply } from "./printable-reply.js";
import { Spinner } from "./progress.js";
import { openStoredSession } from "./stored-session.js";
import { UsageError } from "./usage-error.js";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

interface RequestFlags extends ConnectionFlags {
  method?: string;
  data?: string;
  query?: string[];
}

/** Adds `request ENDPOINT`: sends one request with the saved session and prints the JSON reply. */
export function addRequestCommand(program: Command): void {
  const command = program
    .command("request")
    .description(
      "Send a request with the saved session and print the JSON reply, with token and key fields redacted. A 401 refreshes the tokens once.",
    )
    .argument("<endpoint>", "API path, such as /core/v4/addresses")
    .option(
      "-X, --method <method>",
      `HTTP method: ${METHODS.join(", ")} (default: GET, or POST with --data)`,
    )
    .option("-d, --data <json>", "JSON request body")
    .option("-q, --query <name=value>", "query parameter; repeat for several", collectValues);
  addConnectionFlags(command).action(async (endpoint: string, flags: RequestFlags) => {
    await sendRequest(endpoint, flags);
  });
}

async function sendRequest(endpoint: string, flags: RequestFlags): Promise<void> {
  if (!endpoint.startsWith("/")) {
    throw new UsageError(
      `Invalid endpoint ${JSON.stringify(endpoint)}: use a path that starts with /, such as /core/v4/users.`,
    );
  }
  const method = parseMethod(flags.method);
  const json = flags.data === undefined ? undefined : parseJsonOption("--data", flags.data);
  const query = parseQuery(flags.query ?? []);

  const stored = await openStoredSession(flags);
  try {
    const body = await new Spinner().during(`${method ?? "GET"} ${endpoint}`, () =>
      stored.session.apiRequest(endpoint, {
        ...(method === undefined ? {} : { method }),
        ...(json === undefined ? {} : { json }),
        query,
      }),
    );
    stored.checkPersisted();
    process.stdout.write(`${formatReply(body)}\n`);
  } finally {
    await stored.session.close();
  }
}

function parseMethod(value: string | undefined): Method | undefined {
  if (value === undefined) {
    return undefined;
  }
  const method = value.toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`Invalid --method ${value}: use one of ${METHODS.join(", ")}.`);
  }
  return method as Method;
}

function parseQuery(pairs: readonly string[]): Record<string, string> {
  const query: Record<string, string> = {};
  for (const pair of pairs) {
    const separator = pair.indexOf("=");
    if (separator <= 0) {
      throw new UsageError(`Invalid --query ${JSON.stringify(pair)}: use name=value.`);
    }
    query[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return query;
}
