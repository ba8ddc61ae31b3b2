import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { spkiPin, spkiPinFromPublicKeyDer } from "../src/index.js";
import { fixture, fixtureBytes, opensslPin } from "./support.js";

describe("spkiPin", () => {
  const names = ["ca", "leaf", "rotated", "wrong-host", "untrusted", "proton-api", "expired"];

  for (const name of names) {
    it(`matches openssl for ${name}.pem`, () => {
      expect(spkiPin(fixture(`${name}.pem`))).toBe(opensslPin(name));
    });
  }

  it("reads DER bytes", () => {
    expect(spkiPin(fixtureBytes("leaf.der"))).toBe(opensslPin("leaf"));
  });

  it("reads PEM bytes", () => {
    expect(spkiPin(fixtureBytes("leaf.pem"))).toBe(opensslPin("leaf"));
  });

  it("reads an X509Certificate", () => {
    expect(spkiPin(new X509Certificate(fixture("leaf.pem")))).toBe(opensslPin("leaf"));
  });

  it("hashes a DER public key", () => {
    const spki = new X509Certificate(fixture("leaf.pem")).publicKey.export({
      type: "spki",
      format: "der",
    });

    expect(spkiPinFromPublicKeyDer(spki)).toBe(opensslPin("leaf"));
  });

  it("rejects a wrong type with TypeError", () => {
    expect(() => spkiPin(42 as unknown as string)).toThrow(TypeError);
    expect(() => spkiPin(null as unknown as string)).toThrow(/got null/);
  });

  it("rejects garbage with RangeError", () => {
    expect(() => spkiPin("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")).toThrow(
      RangeError,
    );
    expect(() => spkiPin(new Uint8Array([1, 2, 3]))).toThrow(/DER input is not a valid X.509/);
  });
});
