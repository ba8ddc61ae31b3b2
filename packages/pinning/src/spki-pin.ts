import { createHash, X509Certificate } from "node:crypto";

/** A certificate as `spkiPin` accepts it: PEM text, DER bytes, PEM bytes or a parsed certificate. */
export type CertificateInput = string | Uint8Array | X509Certificate;

const PEM_HEADER = "-----BEGIN CERTIFICATE-----";

/**
 * Computes the pin of a certificate: base64(SHA-256(DER SubjectPublicKeyInfo)), the value of a
 * `pin-sha256` directive (RFC 7469, section 2.4). Only the public key counts, so a renewed
 * certificate for the same key keeps its pin.
 *
 * Throws a `TypeError` for a value of the wrong type and a `RangeError` when the value is not a
 * parseable X.509 certificate.
 */
export function spkiPin(certificate: CertificateInput): string {
  const parsed = toX509Certificate(certificate);
  const spki = parsed.publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

/** Computes the pin of a DER-encoded SubjectPublicKeyInfo. */
export function spkiPinFromPublicKeyDer(spki: Uint8Array): string {
  return createHash("sha256").update(spki).digest("base64");
}

function toX509Certificate(certificate: CertificateInput): X509Certificate {
  if (certificate instanceof X509Certificate) {
    return certificate;
  }
  if (typeof certificate !== "string" && !(certificate instanceof Uint8Array)) {
    throw new TypeError(
      `spkiPin: expected a PEM string, DER bytes or an X509Certificate, got ${describeType(certificate)}.`,
    );
  }

  const isPem =
    typeof certificate === "string" ||
    Buffer.from(certificate.subarray(0, 64)).toString("latin1").includes(PEM_HEADER);
  try {
    return new X509Certificate(
      typeof certificate === "string" ? certificate : Buffer.from(certificate),
    );
  } catch (error) {
    const form = isPem ? "PEM" : "DER";
    throw new RangeError(
      `spkiPin: the ${form} input is not a valid X.509 certificate (${errorMessage(error)}).`,
      { cause: error },
    );
  }
}

function describeType(value: unknown): string {
  if (value === null) {
    return "null";
  }
  return typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
