import { CertificateError, type CertificateErrorReason, NetworkError } from "@proton/errors";

import { describeNetworkFailure } from "./error-codes.js";

/** TLS validation codes of Node's TLS stack (OpenSSL names), by the reason they report. */
const CERTIFICATE_REASONS: Readonly<Record<string, CertificateErrorReason>> = {
  CERT_HAS_EXPIRED: "expired",
  CERT_NOT_YET_VALID: "not-yet-valid",
  ERR_TLS_CERT_ALTNAME_INVALID: "hostname-mismatch",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "untrusted",
  UNABLE_TO_GET_ISSUER_CERT: "untrusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "untrusted",
  SELF_SIGNED_CERT_IN_CHAIN: "untrusted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "untrusted",
  CERT_UNTRUSTED: "untrusted",
  CERT_REVOKED: "other",
  CERT_SIGNATURE_FAILURE: "other",
  INVALID_CA: "untrusted",
};

/**
 * Creates the error for a request that got no HTTP response: a `CertificateError` when the
 * cause is a TLS certificate validation failure, a `NetworkError` otherwise. The cause, with
 * its system `code`, is kept so `errorCode` reads the same in every transport.
 */
export function createNetworkError(
  cause: unknown,
  request: { method: string; url: string },
): NetworkError {
  const host = hostOf(request.url);
  const message = `Request to ${host} failed: ${describeNetworkFailure(cause)}.`;
  const code = (cause as { code?: unknown } | null | undefined)?.code;
  const reason = typeof code === "string" ? CERTIFICATE_REASONS[code] : undefined;

  if (reason !== undefined) {
    return new CertificateError(message, { reason, host, request, cause });
  }
  return new NetworkError(message, { request, cause });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the server";
  }
}
