import { Session } from "@proton/api";
import { createNodeTransport } from "@proton/transport-node";
import { Pool } from "undici";
import { BENCH_USER, type FakeApiProcess } from "./fake-api-process.js";

/** Sends one authenticated `GET /core/v4/users` and parses the JSON reply. */
export type SendRequest = () => Promise<unknown>;

/** A way to send the benchmark request, and how to release its connections. */
export interface BenchClient {
  readonly name: string;
  readonly send: SendRequest;
  close(): Promise<void>;
}

const ENDPOINT = "/core/v4/users";

/** Creates a facade `Session` pinned to the fake API and logs it in as the benchmark user. */
export async function createLoggedInSession(api: FakeApiProcess): Promise<Session> {
  const session = new Session({
    apiUrl: api.url,
    appVersion: "Other",
    userAgent: "proton-ts-bench",
    pins: [api.pin],
    ca: api.ca,
  });
  await session.authenticate(BENCH_USER.username, BENCH_USER.password);
  return session;
}

/** Copies the session's request headers, so the bare clients send the same exchange. */
function sessionHeaders(session: Session): Record<string, string> {
  return {
    accept: "application/vnd.protonmail.v1+json",
    "x-pm-appversion": session.appVersion,
    "user-agent": session.userAgent,
    "x-pm-uid": session.uid ?? "",
    authorization: `Bearer ${session.accessToken ?? ""}`,
  };
}

/** `Session.apiRequest`: headers, refresh and retry logic, response checks, JSON parsing. */
export function sessionClient(session: Session): BenchClient {
  return {
    name: "Session.apiRequest",
    send: () => session.apiRequest(ENDPOINT),
    close: () => session.close(),
  };
}

/** `@proton/transport-node` alone, pinned like the session's, with the session's headers. */
export function transportClient(api: FakeApiProcess, session: Session): BenchClient {
  const transport = createNodeTransport({ pins: [api.pin], ca: api.ca });
  const headers = sessionHeaders(session);
  const url = `${api.url}${ENDPOINT}`;
  return {
    name: "bare transport (createNodeTransport)",
    send: async () => (await transport.request({ method: "GET", url, headers })).json(),
    close: () => transport.close(),
  };
}

/**
 * undici alone: one `Pool` for the origin, as the transport creates, with keep-alive and the
 * undici defaults, trusting the fake API's CA and without TLS session reuse (the pinned
 * transport turns it off). No pin check runs, which only matters per handshake.
 */
export function undiciClient(api: FakeApiProcess, session: Session): BenchClient {
  const pool = new Pool(api.url, { connect: { ca: api.ca, maxCachedSessions: 0 } });
  const headers = sessionHeaders(session);
  return {
    name: "bare undici (Pool)",
    send: async () => {
      const response = await pool.request({ method: "GET", path: ENDPOINT, headers });
      return JSON.parse(await response.body.text());
    },
    close: () => pool.close(),
  };
}

/**
 * Sends `total` requests from `concurrency` parallel loops and returns the wall time and each
 * request's latency, both in milliseconds.
 */
export async function runBatch(
  send: SendRequest,
  total: number,
  concurrency: number,
): Promise<{ elapsedMs: number; latenciesMs: number[] }> {
  const latenciesMs: number[] = [];
  let started = 0;
  const loop = async (): Promise<void> => {
    while (started < total) {
      started++;
      const requestStart = performance.now();
      await send();
      latenciesMs.push(performance.now() - requestStart);
    }
  };

  const batchStart = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { elapsedMs: performance.now() - batchStart, latenciesMs };
}
