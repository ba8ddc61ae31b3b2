import { NetworkError, ProtonError, TimeoutError } from "@proton/errors";

export interface MapErrorContext {
  request: { method: string; url: string };
  connectTimeoutMs: number;
}

/** undici 7's default `headersTimeout` and `bodyTimeout`, which this transport keeps. */
const UNDICI_IDLE_TIMEOUT_MS = 300_000;

/** Descriptions of system and TLS error codes, completing "Request to <host> failed: ". */
const CODE_MESSAGES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "the server refused the connection",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed while sending",
  UND_ERR_SOCKET: "the connection closed before the response was complete",
  ENOTFOUND: "the hostname could not be resolved (DNS lookup failed)",
  EAI_AGAIN: "DNS lookup failed temporarily",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  CERT_HAS_EXPIRED: "the server certificate has expired",
  CERT_NOT_YET_VALID: "the server certificate is not valid yet",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server certificate is not valid for this hostname",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "the server certificate is not signed by a trusted CA (pass the CA in the ca option)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    "the server certificate chain ends in an untrusted CA (pass the CA in the ca option)",
  SELF_SIGNED_CERT_IN_CHAIN: "the server certificate chain contains an untrusted self-signed CA",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server certificate is self-signed and not trusted",
  UND_ERR_PRX_TLS: "the TLS connection through the proxy failed",
};

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
  const causeCode = errorCode(cause) ?? code;
  const description =
    (causeCode === undefined ? undefined : CODE_MESSAGES[causeCode]) ?? messageOf(cause);
  return new NetworkError(`Request to ${hostOf(context.request.url)} failed: ${description}.`, {
    request: context.request,
    cause,
  });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the server";
  }
}
