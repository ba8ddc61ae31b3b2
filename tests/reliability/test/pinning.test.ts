import { PinningError } from "@proton/api";
import { type FakeApi, startFakeApi } from "@proton/fake-api";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  addUser,
  catchError,
  createClient,
  expectNoTokenLogged,
  loadClient,
  type TestClient,
} from "./helpers/client.js";

/** A well-formed SPKI SHA-256 pin that matches no certificate the fake API serves. */
const FOREIGN_PIN = Buffer.alloc(32, 0x42).toString("base64");

let api: FakeApi;
const clients: TestClient[] = [];

beforeAll(async () => {
  api = await startFakeApi();
});

afterAll(async () => {
  for (const client of clients) {
    expectNoTokenLogged(client);
  }
  await Promise.all(clients.map((client) => client.close()));
  await api.close();
});

beforeEach(() => {
  api.control.clearRequestLog();
});

/** Returns the fake API's address with a pin it does not serve, as an intercepting proxy looks. */
function interceptedEndpoint() {
  return { url: api.url, pin: FOREIGN_PIN, ca: api.ca };
}

describe("pin mismatch", () => {
  test("login sends nothing and stores nothing", async () => {
    const user = await addUser(api);
    const tested = await createClient(interceptedEndpoint());
    clients.push(tested);

    const error = await catchError(() => tested.session.authenticate(user.username, user.password));

    expect(PinningError.isInstance(error)).toBe(true);
    expect((error as PinningError).servedPins).toContain(api.pin);
    expect((error as PinningError).expectedPins).toEqual([FOREIGN_PIN]);
    expect(api.control.requestLog()).toHaveLength(0);
    expect(tested.session.isAuthenticated).toBe(false);
    expect(tested.dumpFile.changes).toHaveLength(0);
  });

  test("refresh keeps the stored session", async () => {
    const user = await addUser(api);
    const original = await createClient(api);
    clients.push(original);
    await original.session.authenticate(user.username, user.password);
    const stored = await original.dumpFile.readText();
    const intercepted = await loadClient(interceptedEndpoint(), original.dumpFile);
    clients.push(intercepted);
    api.control.clearRequestLog();

    const error = await catchError(() => intercepted.session.refresh());

    expect(PinningError.isInstance(error)).toBe(true);
    expect(api.control.requestLog()).toHaveLength(0);
    expect(intercepted.session.isAuthenticated).toBe(true);
    expect(await original.dumpFile.readText()).toBe(stored);
    const users = await original.session.apiRequest("/core/v4/users");
    expect(users.Code).toBe(1000);
  });
});
