import { createLoggedInSession } from "./clients.js";
import type { FakeApiProcess } from "./fake-api-process.js";

const REFRESH_ROUTE = "POST /auth/v4/refresh";

/** Per-run figures of the refresh storm and of its baseline. */
export interface RefreshStormResult {
  /** Time until all requests on an expired token completed, in milliseconds. */
  readonly stormMs: number[];
  /** Time until the same number of requests on a valid token completed, in milliseconds. */
  readonly baselineMs: number[];
  /** `POST /auth/v4/refresh` calls the fake API received in each storm. */
  readonly refreshCalls: number[];
  /** 401 responses the fake API sent in each storm. */
  readonly unauthorized: number[];
  /** Storm requests that did not return `Code: 1000`, over all runs. */
  readonly failures: number;
}

/**
 * Sends `requests` concurrent requests on one session right after the fake API expired its
 * access token, so each gets a 401 and all of them must share one refresh. The baseline is
 * the same burst on a valid token, measured just before the storm of each run.
 */
export async function measureRefreshStorm(
  api: FakeApiProcess,
  runs: number,
  requests: number,
): Promise<RefreshStormResult> {
  const session = await createLoggedInSession(api);
  const result = {
    stormMs: [] as number[],
    baselineMs: [] as number[],
    refreshCalls: [] as number[],
    unauthorized: [] as number[],
  };
  let failures = 0;

  const burst = async (): Promise<number> => {
    const started = performance.now();
    const replies = await Promise.allSettled(
      Array.from({ length: requests }, () => session.apiRequest("/core/v4/users")),
    );
    const elapsed = performance.now() - started;
    failures += replies.filter(
      (reply) => reply.status === "rejected" || reply.value.Code !== 1000,
    ).length;
    return elapsed;
  };

  try {
    // A warm-up burst opens the pool's connections for both measurements.
    await burst();
    failures = 0;
    for (let run = 0; run < runs; run++) {
      result.baselineMs.push(await burst());

      await api.expireAccessTokens();
      await api.clearRequestLog();
      result.stormMs.push(await burst());
      const log = await api.requestLog();
      result.refreshCalls.push(log.filter((entry) => entry.route === REFRESH_ROUTE).length);
      result.unauthorized.push(log.filter((entry) => entry.status === 401).length);
    }
  } finally {
    await session.close();
  }
  return { ...result, failures };
}
