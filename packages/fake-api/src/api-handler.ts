import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiFailure, CODES } from "./api-failure.js";
import { applyFault } from "./apply-fault.js";
import { parseJsonObject, readBody, sendJson } from "./http-io.js";
import { formatLogLine } from "./request-log.js";
import { allowedMethods, normalisePath, ROUTES } from "./routes.js";
import { headerValue, type RequestContext, type ServerState } from "./server-state.js";
import type { RequestLogEntry } from "./types.js";

/** Largest request body read, in bytes; Proton API bodies are small JSON objects. */
const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * Returns the request listener of the API server. A request first meets the injected faults,
 * then the `x-pm-appversion` check, then its route's handler. Each request ends with one
 * request-log entry and one `log` line.
 */
export function createApiHandler(
  state: ServerState,
  log: ((line: string) => void) | undefined,
  hangingResponses: Set<ServerResponse>,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    void handleRequest(state, log, hangingResponses, request, response);
  };
}

async function handleRequest(
  state: ServerState,
  log: ((line: string) => void) | undefined,
  hangingResponses: Set<ServerResponse>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const method = (request.method ?? "GET").toUpperCase();
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  const normalisedPath = normalisePath(path);
  const entry: RequestLogEntry = {
    time: Date.now(),
    method,
    path,
    route: `${method} ${normalisedPath}`,
    status: 0,
    token: "none",
  };
  const record = (status: number, code: number | undefined): void => {
    entry.status = status;
    if (code !== undefined) {
      entry.code = code;
    }
    state.log.add(entry);
    log?.(formatLogLine(entry, performance.now() - started));
  };

  try {
    const rawBody = await readBody(
      request,
      MAX_REQUEST_BYTES,
      () => new ApiFailure(413, CODES.INVALID_VALUE, "Request body is larger than 1 MiB."),
    );

    const fault = state.faults.take(method, normalisedPath);
    if (fault !== undefined) {
      entry.fault = fault.kind;
      const outcome = await applyFault(fault, request, response, hangingResponses);
      if (outcome.handled) {
        record(outcome.status, outcome.code);
        return;
      }
    }

    checkAppVersion(state, request);

    const handler = ROUTES.get(entry.route);
    if (handler === undefined) {
      throw routeNotFound(method, normalisedPath);
    }
    const context: RequestContext = {
      method,
      path,
      route: entry.route,
      headers: request.headers,
      body: parseJsonObject(rawBody),
      entry,
    };
    const body = await handler(state, context);
    sendJson(response, 200, body);
    record(200, CODES.SUCCESS);
  } catch (error) {
    if (response.headersSent) {
      record(response.statusCode, undefined);
      return;
    }
    if (response.destroyed) {
      // The client went away before a response was sent, for example while sending its body.
      record(0, undefined);
      return;
    }
    if (error instanceof ApiFailure) {
      const closing: Record<string, string> = error.status === 413 ? { connection: "close" } : {};
      sendJson(response, error.status, error.toBody(), { ...error.headers, ...closing });
      record(error.status, error.code);
      return;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log?.(`internal error on ${method} ${path}: ${message}`);
    sendJson(response, 500, { Code: 500, Error: "Internal error in the fake API." });
    record(500, 500);
  }
}

/** Throws Code 5001 for a missing `x-pm-appversion` and 5003 for one the rule rejects. */
function checkAppVersion(state: ServerState, request: IncomingMessage): void {
  const appVersion = headerValue(request.headers, "x-pm-appversion")?.trim();
  if (appVersion === undefined || appVersion === "") {
    throw new ApiFailure(
      400,
      CODES.APP_VERSION_MISSING,
      "Missing x-pm-appversion header: send one such as Other or name@1.0.0.",
    );
  }
  if (!state.appVersionRule(appVersion)) {
    throw new ApiFailure(
      400,
      CODES.APP_VERSION_OUTDATED,
      "This app version is no longer supported. Update the client.",
    );
  }
}

function routeNotFound(method: string, path: string): ApiFailure {
  const allowed = allowedMethods(path);
  if (allowed.length > 0) {
    return new ApiFailure(405, 405, `${method} is not allowed on ${path}.`, {
      headers: { allow: allowed.join(", ") },
    });
  }
  return new ApiFailure(404, 404, `No route for ${method} ${path}.`);
}
