import type { FakeUserInput } from "./types.js";

/**
 * Accounts the CLI serves when no users file is given: one per auth version, one with TOTP,
 * one with a security key and one that needs human verification. The passwords are public.
 */
export const DEMO_USERS: readonly FakeUserInput[] = [
  { username: "alice", password: "alice-password", displayName: "Alice" },
  {
    username: "bob",
    password: "bob-password",
    displayName: "Bob",
    totpSecret: "JBSWY3DPEHPK3PXP",
  },
  {
    username: "carol",
    password: "carol-password",
    displayName: "Carol",
    totpSecret: "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ",
    securityKey: true,
  },
  { username: "dave", password: "dave-password", displayName: "Dave", humanVerification: true },
  { username: "erin", password: "erin-password", displayName: "Erin", passwordMode: 2 },
  { username: "legacy0", password: "legacy0-password", authVersion: 0 },
  { username: "legacy1", password: "legacy1-password", authVersion: 1 },
  { username: "legacy.two", password: "legacy2-password", authVersion: 2 },
  { username: "legacy3", password: "legacy3-password", authVersion: 3 },
];
