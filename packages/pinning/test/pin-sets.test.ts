import { PinningError } from "@proton/errors";
import { describe, expect, it } from "vitest";
import {
  ALTERNATIVE_ROUTING_PIN_SET,
  findPinSet,
  PROTON_API_PIN_SET,
  PROTON_LEGACY_PIN_SET,
  PROTON_ME_PIN_SET,
  PROTON_PIN_SETS,
  resolvePins,
  validatePins,
} from "../src/index.js";

describe("findPinSet", () => {
  const cases = [
    ["api.protonmail.ch", PROTON_API_PIN_SET],
    ["API.ProtonMail.ch.", PROTON_API_PIN_SET],
    ["api.protonvpn.ch", PROTON_API_PIN_SET],
    ["proton.me", PROTON_ME_PIN_SET],
    ["mail-api.proton.me", PROTON_ME_PIN_SET],
    ["vpn-api.proton.me", PROTON_ME_PIN_SET],
    ["protonmail.com", PROTON_LEGACY_PIN_SET],
    ["account.protonvpn.com", PROTON_LEGACY_PIN_SET],
  ] as const;

  for (const [host, set] of cases) {
    it(`maps ${host} to the ${set.name} set`, () => {
      expect(findPinSet(host)).toBe(set);
    });
  }

  for (const host of ["example.com", "evilproton.me", "proton.me.example.com", "protonmail.ch"]) {
    it(`finds no set for ${host}`, () => {
      expect(findPinSet(host)).toBeUndefined();
    });
  }

  it("lists each set with three or more valid pins", () => {
    for (const set of PROTON_PIN_SETS) {
      expect(validatePins(set.pins)).toEqual(set.pins);
      expect(set.pins.length).toBeGreaterThanOrEqual(3);
      expect(set.source).not.toBe("");
    }
    expect(ALTERNATIVE_ROUTING_PIN_SET.pins).toHaveLength(4);
  });
});

describe("resolvePins", () => {
  const pin = "AcUZED7Ue48fwqER7VZGMXL8xbqBgeOU4r1ySIDqi2M=";

  it("prefers the caller's pins", () => {
    expect(resolvePins({ hostname: "api.protonmail.ch", port: 443, pins: [pin] })).toEqual([pin]);
  });

  it("falls back to the published set", () => {
    expect(resolvePins({ hostname: "mail-api.proton.me", port: 443 })).toBe(PROTON_ME_PIN_SET.pins);
  });

  it("throws PinningError for an unknown host", () => {
    let error: unknown;
    try {
      resolvePins({ hostname: "example.com", port: 8443 });
    } catch (caught) {
      error = caught;
    }

    expect(PinningError.isInstance(error)).toBe(true);
    expect((error as PinningError).host).toBe("example.com");
    expect((error as PinningError).port).toBe(8443);
    expect((error as Error).message).toContain("pins option");
  });

  it("treats an empty pin list as none", () => {
    expect(() => resolvePins({ hostname: "example.com", port: 443, pins: [] })).toThrow(
      /No pins are known/,
    );
  });
});

describe("validatePins", () => {
  it("names the invalid entry", () => {
    expect(() =>
      validatePins(["AcUZED7Ue48fwqER7VZGMXL8xbqBgeOU4r1ySIDqi2M=", "sha256/abc"]),
    ).toThrow(/pins\[1\] is not a base64 SHA-256 pin/);
  });

  it("rejects a non-array", () => {
    expect(() => validatePins("abc" as unknown as string[])).toThrow(TypeError);
  });
});
