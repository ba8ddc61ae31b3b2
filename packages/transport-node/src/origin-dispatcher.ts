import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import { PinningError, redactUrl } from "@proton/errors";
import { createPinnedTlsOptions, type PinFailureReport, resolvePins } from "@proton/pinning";
import { type Dispatcher, EnvHttpProxyAgent, Pool, ProxyAgent } from "undici";

export interface OriginDispatcherOptions {
  pinning: boolean;
  pins: readonly string[] | undefined;
  secureContext: SecureContext;
  connectTimeoutMs: number;
  proxy: string | undefined;
  onPinFailure: ((report: PinFailureReport) => void) | undefined;
}

/**
 * Creates the connection pool for one origin. With pinning on, the pins are resolved first, so
 * an unknown host throws a `PinningError` before any connection is opened. The pin check then
 * runs on every TLS handshake. Through a proxy, it checks the origin's certificate.
 */
export function createOriginDispatcher(url: URL, options: OriginDispatcherOptions): Dispatcher {
  const port = url.port === "" ? defaultPort(url.protocol) : Number(url.port);
  const hostname = stripBrackets(url.hostname);

  if (options.pinning && url.protocol === "http:") {
    throw new PinningError(
      `Pinning is on, but ${redactUrl(url.origin)} uses plain http:, which has no certificate ` +
        `to pin: use https:, or pass pinning: false for a server without TLS.`,
      { host: hostname, port, servedPins: [], expectedPins: [] },
    );
  }

  const tlsOptions: Record<string, unknown> = {
    secureContext: options.secureContext,
    timeout: options.connectTimeoutMs,
  };
  if (options.pinning) {
    const pins = resolvePins({ hostname, port, pins: options.pins });
    Object.assign(
      tlsOptions,
      createPinnedTlsOptions({
        host: hostname,
        port,
        pins,
        onPinFailure: options.onPinFailure,
      }),
      // Set again here so that NODE_TLS_REJECT_UNAUTHORIZED=0, which makes false the default,
      // cannot turn off CA validation and the pin check, whose error Node ignores when false.
      { rejectUnauthorized: true },
    );
  }

  if (options.proxy === undefined) {
    return new Pool(url.origin, { connect: tlsOptions });
  }

  const proxyOptions = {
    requestTls: tlsOptions,
    proxyTls: { timeout: options.connectTimeoutMs },
  };
  if (options.proxy === "env") {
    return new EnvHttpProxyAgent({ ...proxyOptions, connect: tlsOptions });
  }
  return new ProxyAgent({ ...proxyOptions, uri: options.proxy });
}

/**
 * Creates the TLS context shared by all connections of a transport: Node's bundled root CAs
 * plus the extra CAs given. Creating it once avoids parsing the root store per connection.
 */
export function createTransportSecureContext(
  ca: string | Uint8Array | readonly (string | Uint8Array)[] | undefined,
): SecureContext {
  if (ca === undefined) {
    return createSecureContext({});
  }
  const extra = (Array.isArray(ca) ? ca : [ca]) as readonly (string | Uint8Array)[];
  const pems = extra.map((entry, index) => {
    const text = typeof entry === "string" ? entry : Buffer.from(entry).toString("utf8");
    if (!text.includes("-----BEGIN CERTIFICATE-----")) {
      throw new TypeError(
        `ca[${index}] is not a PEM certificate: expected text starting with ` +
          `"-----BEGIN CERTIFICATE-----".`,
      );
    }
    return text;
  });
  return createSecureContext({ ca: [...rootCertificates, ...pems] });
}

function defaultPort(protocol: string): number {
  return protocol === "https:" ? 443 : 80;
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}
