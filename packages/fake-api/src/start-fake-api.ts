import { once } from "node:events";
import { createServer as createHttpServer, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createApiHandler } from "./api-handler.js";
import { loadServerCertificate } from "./certificates.js";
import { createControlHandler } from "./control-handler.js";
import { createControl } from "./fake-api-control.js";
import { FakeApiInputError } from "./fake-api-input-error.js";
import { FaultRegistry } from "./fault-registry.js";
import { HumanVerificationStore, VERIFICATION_METHODS } from "./human-verification.js";
import { defaultRandom } from "./random-values.js";
import { RequestLog } from "./request-log.js";
import type { ServerState } from "./server-state.js";
import { SessionStore } from "./session-store.js";
import { readSignedModulus, SIGNED_MODULI } from "./signed-moduli.js";
import type { FakeApi, FakeApiOptions } from "./types.js";
import { UserStore } from "./user-store.js";

const DEFAULT_TOKEN_LIFETIME_SECONDS = 86_400;

/**
 * Starts the fake Proton API (HTTPS by default, with the committed localhost certificate) and
 * its control API on a second, plain-HTTP port of the same host. Users are added before the
 * returned promise resolves; an invalid option or user rejects with `FakeApiInputError`.
 */
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new FakeApiInputError("port", `expected an integer from 0 to 65535, got ${port}.`);
  }
  if (!(tokenLifetimeSeconds > 0) || !Number.isFinite(tokenLifetimeSeconds)) {
    throw new FakeApiInputError(
      "tokenLifetimeSeconds",
      `expected a positive number of seconds, got ${tokenLifetimeSeconds}.`,
    );
  }

  const random = options.random ?? defaultRandom;
  const certificate = await loadServerCertificate();
  let controlUrl = "";
  const state: ServerState = {
    users: new UserStore(random),
    sessions: new SessionStore(random, tokenLifetimeSeconds),
    verifications: new HumanVerificationStore(random),
    faults: new FaultRegistry(),
    log: new RequestLog(),
    pendingLogins: new Map(),
    random,
    unknownUserSecret: random(32),
    moduli: SIGNED_MODULI.map(readSignedModulus),
    appVersionRule: options.appVersionRule ?? ((appVersion) => appVersion.trim() !== ""),
    verificationUrl: (token) =>
      `${controlUrl}/verify?methods=${VERIFICATION_METHODS.join(",")}&token=${token}`,
  };
  for (const [index, user] of (options.users ?? []).entries()) {
    await state.users.add(user, `users[${index}]`);
  }

  const hangingResponses = new Set<ServerResponse>();
  const apiHandler = createApiHandler(state, options.log, hangingResponses);
  const apiServer: Server =
    options.http === true
      ? createHttpServer(apiHandler)
      : createHttpsServer({ cert: certificate.cert, key: certificate.key }, apiHandler);
  const control = createControl(state);
  const controlServer = createHttpServer(createControlHandler(control));

  await listen(apiServer, host, port);
  try {
    await listen(controlServer, host, 0);
  } catch (error) {
    apiServer.close();
    throw error;
  }

  const scheme = options.http === true ? "http" : "https";
  const url = `${scheme}://${formatHost(host)}:${(apiServer.address() as AddressInfo).port}`;
  controlUrl = `http://${formatHost(host)}:${(controlServer.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    pin: certificate.pin,
    ca: certificate.ca,
    caFile: certificate.caFile,
    controlUrl,
    control,
    close(): Promise<void> {
      closing ??= Promise.all([
        stop(apiServer, hangingResponses),
        stop(controlServer, hangingResponses),
      ]).then(() => undefined);
      return closing;
    },
  };
}

async function listen(server: Server, host: string, port: number): Promise<void> {
  server.listen(port, host);
  await once(server, "listening");
}

/** Closes a server and drops its keep-alive and hanging connections. */
async function stop(server: Server, hangingResponses: Set<ServerResponse>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const response of hangingResponses) {
    response.destroy();
  }
  server.closeAllConnections();
  await closed;
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
