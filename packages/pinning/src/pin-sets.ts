/**
 * Proton's published SPKI SHA-256 pin sets. Each set lists the current key first, then the
 * hot and cold backup keys.
 *
 * Source: Proton Mail Bridge, Go package `dialer`, variable `TrustedAPIPins` (2024), which
 * lists the same four groups. The Python client (`proton-python-client`) and the ProtonVPN
 * clients pin `api.protonvpn.ch` and `protonvpn.com` to the API and legacy sets below.
 */

/** A named group of pins and the hosts it applies to. */
export interface PinSet {
  readonly name: string;
  /**
   * Hosts checked against this set. An entry starting with `.` matches every subdomain of the
   * domain after the dot, and the domain itself.
   */
  readonly hosts: readonly string[];
  /** base64(SHA-256(SubjectPublicKeyInfo)) values, current key first. */
  readonly pins: readonly string[];
  /** The publication that lists these pins. */
  readonly source: string;
}

const BRIDGE_SOURCE = "Proton Mail Bridge, Go package dialer, TrustedAPIPins";

export const PROTON_API_PIN_SET: PinSet = Object.freeze({
  name: "api",
  hosts: Object.freeze(["api.protonmail.ch", "api.protonvpn.ch"]),
  pins: Object.freeze([
    "drtmcR2kFkM8qJClsuWgUzxgBkePfRCkRpqUesyDmeE=",
    "YRGlaY0jyJ4Jw2/4M8FIftwbDIQfh8Sdro96CeEel54=",
    "AfMENBVvOS8MnISprtvyPsjKlPooqh8nMB/pvCrpJpw=",
  ]),
  source: BRIDGE_SOURCE,
});

export const PROTON_ME_PIN_SET: PinSet = Object.freeze({
  name: "proton.me",
  hosts: Object.freeze([".proton.me"]),
  pins: Object.freeze([
    "CT56BhOTmj5ZIPgb/xD5mH8rY3BLo/MlhP7oPyJUEDo=",
    "35Dx28/uzN3LeltkCBQ8RHK0tlNSa2kCpCRGNp34Gxc=",
    "qYIukVc63DEITct8sFT7ebIq5qsWmuscaIKeJx+5J5A=",
  ]),
  source: BRIDGE_SOURCE,
});

export const PROTON_LEGACY_PIN_SET: PinSet = Object.freeze({
  name: "legacy",
  hosts: Object.freeze([".protonmail.com", ".protonvpn.com"]),
  pins: Object.freeze([
    "8joiNBdqaYiQpKskgtkJsqRxF7zN0C0aqfi8DacknnI=",
    "JMI8yrbc6jB1FYGyyWRLFTmDNgIszrNEMGlgy972e7w=",
    "Iu44zU84EOCZ9vx/vz67/MRVrxF1IO4i4NIa8ETwiIY=",
  ]),
  source: BRIDGE_SOURCE,
});

/**
 * Pins of the alternative-routing proxies. Their hostnames come from DNS at run time, so no
 * host maps to this set: pass its pins explicitly when connecting to a proxy.
 */
export const ALTERNATIVE_ROUTING_PIN_SET: PinSet = Object.freeze({
  name: "alternative-routing",
  hosts: Object.freeze([]),
  pins: Object.freeze([
    "EU6TS9MO0L/GsDHvVc9D5fChYLNy5JdGYpJw0ccgetM=",
    "iKPIHPnDNqdkvOnTClQ8zQAIKG0XavaPkcEo0LBAABA=",
    "MSlVrBCdL0hKyczvgYVSRNm88RicyY04Q2y5qrBt0xA=",
    "C2UxW0T1Ckl9s+8cXfjXxlEqwAfPM4HiW2y3UdtBeCw=",
  ]),
  source: BRIDGE_SOURCE,
});

export const PROTON_PIN_SETS: readonly PinSet[] = Object.freeze([
  PROTON_API_PIN_SET,
  PROTON_ME_PIN_SET,
  PROTON_LEGACY_PIN_SET,
  ALTERNATIVE_ROUTING_PIN_SET,
]);

/**
 * Finds the pin set for a hostname, or `undefined` when no published set covers it. The
 * comparison ignores case and a trailing dot.
 */
export function findPinSet(hostname: string): PinSet | undefined {
  const host = normalizeHostname(hostname);

  for (const set of PROTON_PIN_SETS) {
    for (const entry of set.hosts) {
      if (entry.startsWith(".")) {
        const domain = entry.slice(1);
        if (host === domain || host.endsWith(entry)) {
          return set;
        }
      } else if (host === entry) {
        return set;
      }
    }
  }
  return undefined;
}

function normalizeHostname(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}
