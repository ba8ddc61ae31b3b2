import { X509Certificate } from "node:crypto";
import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate } from "node:tls";
import { PinningError } from "@proton/errors";
import { extractSpki } from "./certificate-spki.js";
import { createPinFailureReport, type PinFailureReport } from "./pin-failure-report.js";
import { validatePins } from "./pin-format.js";
import { spkiPinFromPublicKeyDer } from "./spki-pin.js";

/** The signature of the `checkServerIdentity` option of `tls.connect`. */
export type ServerIdentityCheck = (
  hostname: string,
  certificate: PeerCertificate,
) => Error | undefined;

export interface PinnedServerIdentityOptions {
  /** The host the connection is for, as reported in errors and reports. */
  host: string;
  port: number;
  /**
   * Accepted SPKI SHA-256 pins (base64). The leaf, or any certificate reached from it through
   * issuer links whose signatures verify, may match.
   */
  pins: readonly string[];
  /**
   * Receives a report of each pin failure. Errors it throws are ignored, so a broken reporter
   * cannot turn a pin failure into a pass or into another error.
   */
  onPinFailure?: ((report: PinFailureReport) => void) | undefined;
}

/**
 * Creates a `checkServerIdentity` function that runs Node's hostname check first and then
 * requires the leaf, or one of its verified issuers, to match one of `pins`. A mismatch returns a
 * `PinningError` with the served and expected pins, which makes the handshake fail.
 *
 * Node links each certificate to its `issuerCertificate` by subject name and key identifier and
 * does not check the signature, so a server can append a forged "issuer" that carries a pinned
 * key. The check therefore verifies each link's signature with the issuer's public key while it
 * walks up from the leaf, and stops at the first link that does not verify.
 *
 * Node skips `checkServerIdentity` when a TLS session is resumed, so this check alone does not
 * cover resumed sessions. Use `createPinnedTlsOptions`, which also turns the session cache off.
 */
export function createPinnedServerIdentityCheck(
  options: PinnedServerIdentityOptions,
): ServerIdentityCheck {
  const pins = validatePins(options.pins);
  const accepted = new Set(pins);

  return (hostname, certificate) => {
    const hostnameError = checkServerIdentity(hostname, certificate);
    if (hostnameError !== undefined) {
      return hostnameError;
    }

    const chain = certificateChain(certificate);
    if (pinMatchesVerifiedChain(chain, accepted)) {
      return undefined;
    }
    const servedPins = chain.map((der) => spkiPinFromPublicKeyDer(extractSpki(der)));

    if (options.onPinFailure !== undefined) {
      const report = createPinFailureReport({
        hostname: options.host,
        port: options.port,
        chain,
        knownPins: pins,
      });
      try {
        options.onPinFailure(report);
      } catch {
        // The PinningError below is the outcome either way.
      }
    }
    return new PinningError(
      `The certificate of ${options.host}:${options.port} matches none of the ${pins.length} ` +
        `pinned keys: the connection may be intercepted, or the pins are out of date.`,
      { host: options.host, port: options.port, servedPins, expectedPins: pins },
    );
  };
}

/**
 * Node `tls` and undici connection options that enforce the pins on every connection:
 * `checkServerIdentity` from `createPinnedServerIdentityCheck`, `maxCachedSessions: 0`, which
 * stops `https.Agent` and undici from resuming TLS sessions (a resumed session would skip the
 * check), and `rejectUnauthorized: true`. Node ignores the error `checkServerIdentity` returns
 * when `rejectUnauthorized` is false, and `NODE_TLS_REJECT_UNAUTHORIZED=0` makes false the
 * default, so the option is set explicitly.
 */
export function createPinnedTlsOptions(options: PinnedServerIdentityOptions): {
  checkServerIdentity: ServerIdentityCheck;
  maxCachedSessions: 0;
  rejectUnauthorized: true;
} {
  return {
    checkServerIdentity: createPinnedServerIdentityCheck(options),
    maxCachedSessions: 0,
    rejectUnauthorized: true,
  };
}

/** Returns the DER certificates of a detailed peer certificate, leaf first, without repeats. */
export function certificateChain(certificate: PeerCertificate): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  let current: PeerCertificate | undefined = certificate;

  while (current !== undefined && current.raw !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(current.raw);
    const issuer: DetailedPeerCertificate | undefined = (
      current as Partial<DetailedPeerCertificate>
    ).issuerCertificate;
    current = issuer !== undefined && Object.keys(issuer).length > 0 ? issuer : undefined;
  }
  return chain;
}

/**
 * Returns true when the leaf (`chain[0]`) or a certificate reached from it through verified
 * links matches a pin. A link counts as verified when the child's signature verifies with the
 * next certificate's public key. The leaf itself needs no such link, because OpenSSL has already
 * verified it against the trusted CAs before `checkServerIdentity` runs.
 */
function pinMatchesVerifiedChain(chain: readonly Uint8Array[], accepted: Set<string>): boolean {
  let child: X509Certificate | undefined;
  for (const [index, der] of chain.entries()) {
    if (index > 0) {
      const issuer = new X509Certificate(der);
      child ??= new X509Certificate(chain[0] as Uint8Array);
      if (!signatureVerifies(child, issuer)) {
        return false;
      }
      child = issuer;
    }
    if (accepted.has(spkiPinFromPublicKeyDer(extractSpki(der)))) {
      return true;
    }
  }
  return false;
}

function signatureVerifies(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.verify(issuer.publicKey);
  } catch {
    // A key type that cannot verify the signature counts as an unverified link.
    return false;
  }
}
