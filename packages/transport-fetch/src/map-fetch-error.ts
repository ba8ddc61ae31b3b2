import { ProtonError } from "@proton/errors";
import { createNetworkError } from "@proton/transport";

/**
 * Maps a failed `fetch` to a `NetworkError` (a `CertificateError` for TLS validation failures). `fetch` reports every network failure as a
 * `TypeError`; Node's fetch (undici) puts the system or TLS error, with its `code`, in
 * `cause`, and that error becomes the `NetworkError`'s cause so `errorCode` matches the Node
 * transport. Browsers give no detail, so there the `TypeError` itself is the cause.
 */
export function mapFetchError(error: unknown, request: { method: string; url: string }): unknown {
  if (ProtonError.isInstance(error)) {
    return error;
  }

  return createNetworkError(innermostCodedError(error) ?? error, request);
}

function innermostCodedError(error: unknown): unknown {
  let found: unknown;
  let current: unknown = error;

  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (typeof (current as { code?: unknown }).code === "string") {
      found = current;
    }
    current = current.cause;
  }
  return found;
}
