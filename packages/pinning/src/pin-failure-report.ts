/**
 * A pin validation failure report with the fields of RFC 7469, section 3 (the HPKP report
 * format). Nothing sends it anywhere: it is handed to the caller's callback, which decides.
 */
export interface PinFailureReport {
  /** When the failure happened, as an RFC 3339 date-time in UTC. */
  readonly "date-time": string;
  readonly hostname: string;
  readonly port: number;
  /** Always false: these pins come from code, not from a `Public-Key-Pins` header. */
  readonly "include-subdomains": boolean;
  /** The hostname the pin set was looked up for. */
  readonly "noted-hostname": string;
  /** The chain the server presented, leaf first, as PEM. */
  readonly "served-certificate-chain": readonly string[];
  /**
   * The chain after CA validation, leaf first, as PEM. Node validates the chain before the pin
   * check runs and reports the validated chain, so this equals the served chain.
   */
  readonly "validated-certificate-chain": readonly string[];
  /** The accepted pins, each as `pin-sha256="<base64>"`. */
  readonly "known-pins": readonly string[];
}

export interface PinFailureReportInput {
  hostname: string;
  port: number;
  notedHostname?: string | undefined;
  /** DER certificates, leaf first. */
  chain: readonly Uint8Array[];
  knownPins: readonly string[];
  date?: Date | undefined;
}

/** Builds an RFC 7469 style report from the served chain and the pins that were expected. */
export function createPinFailureReport(input: PinFailureReportInput): PinFailureReport {
  const chain = Object.freeze(input.chain.map(derToPem));
  return Object.freeze({
    "date-time": (input.date ?? new Date()).toISOString(),
    hostname: input.hostname,
    port: input.port,
    "include-subdomains": false,
    "noted-hostname": input.notedHostname ?? input.hostname,
    "served-certificate-chain": chain,
    "validated-certificate-chain": chain,
    "known-pins": Object.freeze(input.knownPins.map((pin) => `pin-sha256="${pin}"`)),
  });
}

function derToPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines: string[] = [];
  for (let index = 0; index < base64.length; index += 64) {
    lines.push(base64.slice(index, index + 64));
  }
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
