import { ProtonError, TimeoutError } from "@proton/errors";
import { createNetworkError } from "@proton/transport";

export interface MapErrorContext {
  request: { method: string; url: string };
  connectTimeoutMs: number;
}

/** undici 7's default `headersTimeout` and `bodyTimeout`, which this transport keeps. */
const UNDICI_IDLE_TIMEOUT_MS = 300_000;

/**
 * Maps an error from undici or Node's sockets to a `@proton/errors` error. Errors that are
 * already `ProtonError`s (a `PinningError` from the TLS check, an `UnexpectedResponseError`
 * from the body limit) pass through unchanged.
 */
export function mapTransportError(error: unknown, context: MapErrorContext): unknown {
  if (ProtonError.isInstance(error)) {
    return error;
  }

  const code = errorCode(error);
  if (code === "UND_ERR_CONNECT_TIMEOUT") {
    return new TimeoutError(
      `Connecting to ${hostOf(context.request.url)} timed out after ${context.connectTimeoutMs} ms.`,
      {
        timeoutMs: context.connectTimeoutMs,
        phase: "connect",
        request: context.request,
        cause: error,
      },
    );
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new TimeoutError(
      `The server sent nothing for ${UNDICI_IDLE_TIMEOUT_MS} ms while a response was due (${code}).`,
      {
        timeoutMs: UNDICI_IDLE_TIMEOUT_MS,
        phase: "response",
        request: context.request,
        cause: error,
      },
    );
  }

  // The proxy wraps TLS errors of the origin connection; the cause has the precise code.
  const cause = code === "UND_ERR_PRX_TLS" ? ((error as Error).cause ?? error) : error;
  if (ProtonError.isInstance(cause)) {
    return cause;
  }
  return createNetworkError(cause, context.request);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the server";
  }
}
