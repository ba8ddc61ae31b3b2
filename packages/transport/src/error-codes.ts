/** Descriptions of system and TLS error codes, completing "Request to <host> failed: ". */
const ERROR_CODE_DESCRIPTIONS: Readonly<Record<string, string>> = {
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
 * Describes why a request failed, for the message of a `NetworkError`: a fixed sentence for
 * known system and TLS codes, otherwise the cause's own message.
 */
export function describeNetworkFailure(cause: unknown): string {
  const code = (cause as { code?: unknown } | null | undefined)?.code;
  const known = typeof code === "string" ? ERROR_CODE_DESCRIPTIONS[code] : undefined;
  if (known !== undefined) {
    return known;
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === "string" ? `${message} (${code})` : message;
}
