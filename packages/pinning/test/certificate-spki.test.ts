import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { extractSpki } from "../src/certificate-spki.js";
import { spkiPinFromPublicKeyDer } from "../src/index.js";
import { fixture, opensslPin } from "./support.js";

function der(name: string): Uint8Array {
  return new Uint8Array(new X509Certificate(fixture(`${name}.pem`)).raw);
}

describe("extractSpki", () => {
  for (const name of ["ca", "leaf", "rotated", "untrusted-ca", "proton-api", "expired"]) {
    it(`matches openssl for ${name}.pem`, () => {
      expect(spkiPinFromPublicKeyDer(extractSpki(der(name)))).toBe(opensslPin(name));
    });
  }

  it("returns the same bytes as X509Certificate", () => {
    const expected = new X509Certificate(fixture("leaf.pem")).publicKey.export({
      type: "spki",
      format: "der",
    });

    expect(Buffer.from(extractSpki(der("leaf")))).toEqual(expected);
  });

  it("rejects truncated input", () => {
    const full = der("leaf");

    for (const length of [0, 1, 4, 40, full.length - 1]) {
      expect(() => extractSpki(full.subarray(0, length))).toThrow(RangeError);
    }
  });

  it("rejects a wrong outer tag", () => {
    const bytes = der("leaf").slice();
    bytes[0] = 0x31;

    expect(() => extractSpki(bytes)).toThrow(/Certificate has tag 0x31, expected 0x30/);
  });
});
