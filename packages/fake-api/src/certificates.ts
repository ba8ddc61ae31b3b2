import { createHash, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The committed test CA and the localhost certificate it signed, with the leaf's pin. */
export interface ServerCertificate {
  /** Leaf certificate PEM, for localhost, 127.0.0.1 and ::1. */
  cert: string;
  key: string;
  ca: string;
  caFile: string;
  /** Base64 SHA-256 of the leaf's DER SubjectPublicKeyInfo. */
  pin: string;
}

/** Folder of the PEM files, one level above `src/` and `dist/`; `certs/generate.sh` made them. */
const CERTS_FOLDER = new URL("../certs/", import.meta.url);

export async function loadServerCertificate(): Promise<ServerCertificate> {
  const caFile = fileURLToPath(new URL("ca.pem", CERTS_FOLDER));
  const [cert, key, ca] = await Promise.all([
    readFile(new URL("localhost.pem", CERTS_FOLDER), "utf8"),
    readFile(new URL("localhost-key.pem", CERTS_FOLDER), "utf8"),
    readFile(caFile, "utf8"),
  ]);
  return { cert, key, ca, caFile, pin: spkiPin(cert) };
}

/** Returns base64(SHA-256(DER SubjectPublicKeyInfo)) of a PEM certificate. */
export function spkiPin(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({
    type: "spki",
    format: "der",
  });
  return createHash("sha256").update(spki).digest("base64");
}
