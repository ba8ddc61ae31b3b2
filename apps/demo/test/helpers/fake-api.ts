import { DEMO_USERS, type FakeApi, startFakeApi } from "@proton/fake-api";

/** Starts the fake API with the demo users, as a test's own server. */
export function startDemoFakeApi(): Promise<FakeApi> {
  return startFakeApi({ users: DEMO_USERS });
}

/** Returns the options that make a subcommand trust `fake`; login also needs `--api-url`. */
export function trustFlags(fake: FakeApi): string[] {
  return ["--pin", fake.pin, "--ca-file", fake.caFile];
}

/** Returns the password of a demo user. */
export function demoPassword(username: string): string {
  const user = DEMO_USERS.find((candidate) => candidate.username === username);
  if (user === undefined) {
    throw new Error(`No demo user ${username} in DEMO_USERS.`);
  }
  return user.password;
}

/** Returns the TOTP secret of a demo user. */
export function demoTotpSecret(username: string): string {
  const secret = DEMO_USERS.find((candidate) => candidate.username === username)?.totpSecret;
  if (secret === undefined) {
    throw new Error(`The demo user ${username} has no TOTP secret.`);
  }
  return secret;
}
