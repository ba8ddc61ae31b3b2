/**
 * The test certificates of @proton/pinning (packages/pinning/test/fixtures/tls, made by the
 * generate.sh there), shared by the transport tests so that one set of certificates exists.
 * `pins` contains the SPKI SHA-256 pins that openssl computed for each certificate (pins.txt).
 */
import { readFileSync } from "node:fs";

const folder = new URL("../../../pinning/test/fixtures/tls/", import.meta.url);

export type CertificateName =
  | "ca"
  | "untrusted-ca"
  | "leaf"
  | "rotated"
  | "wrong-host"
  | "untrusted"
  | "proton-api"
  | "expired";

export interface KeyPair {
  key: string;
  cert: string;
}

export function readFixture(file: string): string {
  return readFileSync(new URL(file, folder), "utf8");
}

export function keyPair(name: CertificateName): KeyPair {
  return { key: readFixture(`${name}.key`), cert: readFixture(`${name}.pem`) };
}

export const caPem: string = readFixture("ca.pem");

export const pins: Readonly<Record<CertificateName, string>> = Object.freeze(
  Object.fromEntries(
    readFixture("pins.txt")
      .trim()
      .split("\n")
      .map((line) => line.split(" ") as [string, string]),
  ) as Record<CertificateName, string>,
);
