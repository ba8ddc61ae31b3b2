import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeApiInputError } from "./fake-api-input-error.js";
import { readBody, sendJson, sendText } from "./http-io.js";
import type { FakeApiControl } from "./types.js";

const MAX_CONTROL_BODY_BYTES = 64 * 1024;

/** Endpoints of the control API, listed by `GET /`. */
const ENDPOINTS: readonly string[] = [
  "POST /users                    body: a user, as in a users file",
  "POST /expire-access-tokens     body: {} or {username}",
  "POST /revoke-sessions          body: {} or {username}",
  "POST /human-verification/solve body: {token}",
  "GET  /verify?token=...         page where a person solves a verification token",
  "POST /faults                   body: a fault; returns {id}",
  "DELETE /faults[/ID]            removes one fault or all",
  "GET  /requests                 returns {entries: [...]}",
  "DELETE /requests               clears the request log",
];

/**
 * Returns the request listener of the control API: plain JSON over HTTP on its own port, so
 * the API port never exposes it. Invalid input gets HTTP 400 with `{"error","field"}`, and
 * any other failure HTTP 500 with `{"error"}`.
 */
export function createControlHandler(
  control: FakeApiControl,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    void handleControl(control, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (FakeApiInputError.isInstance(error)) {
        sendJson(response, 400, { error: error.message, field: error.field });
      } else {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        sendJson(response, 500, { error: `Control request failed: ${message}` });
      }
    });
  };
}

async function handleControl(
  control: FakeApiControl,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const method = request.method ?? "GET";
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
  const raw = (
    await readBody(
      request,
      MAX_CONTROL_BODY_BYTES,
      () => new FakeApiInputError("body", "larger than 64 KiB."),
    )
  ).toString("utf8");

  if (method === "GET" && path === "/") {
    sendJson(response, 200, { endpoints: ENDPOINTS });
    return;
  }
  if (method === "GET" && path === "/verify") {
    sendText(
      response,
      200,
      verificationPage(url.searchParams.get("token") ?? ""),
      "text/html; charset=utf-8",
    );
    return;
  }
  if (method === "POST" && path === "/verify") {
    const token = new URLSearchParams(raw).get("token") ?? "";
    control.solveHumanVerification(token);
    sendText(response, 200, solvedPage(), "text/html; charset=utf-8");
    return;
  }
  if (method === "GET" && path === "/requests") {
    sendJson(response, 200, { entries: control.requestLog() });
    return;
  }
  if (method === "DELETE" && path === "/requests") {
    control.clearRequestLog();
    sendJson(response, 200, { ok: true });
    return;
  }
  if (method === "DELETE" && (path === "/faults" || path.startsWith("/faults/"))) {
    const id = path === "/faults" ? undefined : decodeURIComponent(path.slice("/faults/".length));
    control.clearFaults(id);
    sendJson(response, 200, { ok: true });
    return;
  }
  if (method !== "POST") {
    sendJson(response, 404, { error: `No control endpoint ${method} ${path}; GET / lists them.` });
    return;
  }

  const body = parseControlBody(raw);
  switch (path) {
    case "/users":
      await control.addUser(body as never);
      sendJson(response, 201, { ok: true });
      return;
    case "/expire-access-tokens":
      control.expireAccessTokens(optionalUsername(body));
      sendJson(response, 200, { ok: true });
      return;
    case "/revoke-sessions":
      control.revokeSessions(optionalUsername(body));
      sendJson(response, 200, { ok: true });
      return;
    case "/human-verification/solve": {
      const token = body["token"];
      if (typeof token !== "string") {
        throw new FakeApiInputError("token", "expected the HumanVerificationToken string.");
      }
      control.solveHumanVerification(token);
      sendJson(response, 200, { ok: true });
      return;
    }
    case "/faults":
      sendJson(response, 201, { id: control.injectFault(body as never) });
      return;
    default:
      sendJson(response, 404, {
        error: `No control endpoint ${method} ${path}; GET / lists them.`,
      });
  }
}

function parseControlBody(raw: string): Record<string, unknown> {
  if (raw.trim() === "") {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new FakeApiInputError("body", "not valid JSON.", { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new FakeApiInputError("body", "expected a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

function optionalUsername(body: Record<string, unknown>): string | undefined {
  const username = body["username"];
  if (username !== undefined && typeof username !== "string") {
    throw new FakeApiInputError("username", "expected a string, or no field for every user.");
  }
  return username;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Renders a stand-in for Proton's verification page, where one button solves the token. */
function verificationPage(token: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Human verification (fake API)</title></head>
<body>
<h1>Human verification</h1>
<p>This local test server stands in for Proton's verification page.</p>
<form method="post" action="/verify">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">I am human</button>
</form>
</body>
</html>
`;
}

/** Renders the page shown after a token is solved. */
function solvedPage(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Verified (fake API)</title></head>
<body><h1>Verified</h1><p>Return to the app and retry the login.</p></body>
</html>
`;
}
