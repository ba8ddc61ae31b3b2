import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { CODES } from "./api-failure.js";
import { sendJson, sendText } from "./http-io.js";
import type { FaultSpec } from "./types.js";

const DEFAULT_LARGE_BODY_BYTES = 32 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/** Outcome of a fault: the fault sent the response, or the request goes on to its handler. */
export type FaultOutcome = { handled: true; status: number; code?: number } | { handled: false };

const MAINTENANCE_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Proton | Maintenance</title></head>
<body><h1>We are performing scheduled maintenance</h1><p>Please try again later.</p></body>
</html>
`;

/**
 * Applies a fault to a request. `hangingResponses` collects the responses of "hang" faults so
 * the server can drop them when it closes.
 */
export async function applyFault(
  fault: FaultSpec,
  request: IncomingMessage,
  response: ServerResponse,
  hangingResponses: Set<ServerResponse>,
): Promise<FaultOutcome> {
  const retryAfter: Record<string, string> =
    fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };

  switch (fault.kind) {
    case "status": {
      const status = fault.status ?? 503;
      const code = fault.code ?? status;
      sendJson(response, status, { Code: code, Error: `Injected HTTP ${status}.` }, retryAfter);
      return { handled: true, status, code };
    }
    case "rate-limit": {
      const code = fault.code ?? 429;
      sendJson(
        response,
        429,
        { Code: code, Error: "Too many requests. Please try again later." },
        { "retry-after": fault.retryAfter ?? "1" },
      );
      return { handled: true, status: 429, code };
    }
    case "html": {
      const status = fault.status ?? 503;
      sendText(response, status, MAINTENANCE_PAGE, "text/html; charset=utf-8", retryAfter);
      return { handled: true, status };
    }
    case "malformed": {
      const status = fault.status ?? 200;
      sendText(response, status, '{"Code":1000,"UID":"', "application/json; charset=utf-8");
      return { handled: true, status };
    }
    case "non-object": {
      const status = fault.status ?? 200;
      sendText(response, status, '[{"Code":1000}]', "application/json; charset=utf-8");
      return { handled: true, status };
    }
    case "large-body": {
      await sendLargeBody(response, fault.bytes ?? DEFAULT_LARGE_BODY_BYTES);
      return { handled: true, status: 200, code: CODES.SUCCESS };
    }
    case "delay": {
      await sleep(fault.delayMs ?? 0);
      return { handled: false };
    }
    case "reset": {
      resetConnection(request.socket);
      return { handled: true, status: 0 };
    }
    case "hang": {
      hangingResponses.add(response);
      response.on("close", () => hangingResponses.delete(response));
      return { handled: true, status: 0 };
    }
  }
}

/** Sends `{"Code":1000,"Padding":"aaa..."}` of exactly `bytes` bytes (at least 30), in chunks. */
async function sendLargeBody(response: ServerResponse, bytes: number): Promise<void> {
  const head = Buffer.from('{"Code":1000,"Padding":"');
  const tail = Buffer.from('"}');
  const paddingBytes = Math.max(0, bytes - head.length - tail.length);
  const chunk = Buffer.alloc(CHUNK_BYTES, "a");

  response.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(head.length + paddingBytes + tail.length),
  });
  response.write(head);
  let left = paddingBytes;
  while (left > 0 && !response.destroyed) {
    const piece = left >= CHUNK_BYTES ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    if (!response.write(piece)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          response.off("drain", done);
          response.off("close", done);
          resolve();
        };
        response.on("drain", done);
        response.on("close", done);
      });
    }
  }
  response.end(tail);
}

/**
 * Drops the connection with a TCP RST where Node allows it (plain TCP sockets), so the client
 * sees ECONNRESET. A TLS socket has no `resetAndDestroy`, so it is destroyed (FIN), which the
 * client sees as a connection closed before any response.
 */
function resetConnection(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
