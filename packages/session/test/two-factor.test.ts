import { describe, expect, it } from "vitest";
import { readTwoFactor } from "../src/index.js";

describe("readTwoFactor", () => {
  it.each([
    [0, { required: false, totp: false, fido2: false }],
    [1, { required: true, totp: true, fido2: false }],
    [2, { required: true, totp: false, fido2: true }],
    [3, { required: true, totp: true, fido2: true }],
  ])("reads Enabled %i", (enabled, expected) => {
    expect(readTwoFactor({ Enabled: enabled, FIDO2: {} })).toEqual({ enabled, ...expected });
  });

  it.each([undefined, null, "1", { Enabled: "1" }, { Enabled: -1 }, { Enabled: 1.5 }])(
    "reads %o as no second factor",
    (value) => {
      expect(readTwoFactor(value).required).toBe(false);
    },
  );
});
