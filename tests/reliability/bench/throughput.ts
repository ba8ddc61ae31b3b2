import {
  type BenchClient,
  createLoggedInSession,
  runBatch,
  sessionClient,
  transportClient,
  undiciClient,
} from "./clients.js";
import type { FakeApiProcess } from "./fake-api-process.js";
import { percentile } from "./statistics.js";

/** Per-run figures of one client. */
export interface ThroughputSeries {
  readonly name: string;
  readonly requestsPerSecond: number[];
  readonly p50Ms: number[];
  readonly p99Ms: number[];
}

export interface ThroughputOptions {
  readonly runs: number;
  readonly requestsPerRun: number;
  readonly concurrency: number;
}

/**
 * Measures keep-alive throughput and latency of `Session.apiRequest`, the bare transport and
 * bare undici. The clients take turns within each run, in a rotating order, so a slow phase of
 * the machine affects all three alike. The first run is a warm-up and is not recorded.
 */
export async function measureThroughput(
  api: FakeApiProcess,
  options: ThroughputOptions,
): Promise<ThroughputSeries[]> {
  const session = await createLoggedInSession(api);
  const clients: BenchClient[] = [
    undiciClient(api, session),
    transportClient(api, session),
    sessionClient(session),
  ];
  const series = clients.map((client) => ({
    name: client.name,
    requestsPerSecond: [] as number[],
    p50Ms: [] as number[],
    p99Ms: [] as number[],
  }));

  try {
    for (let run = -1; run < options.runs; run++) {
      for (let turn = 0; turn < clients.length; turn++) {
        const index = (turn + Math.max(run, 0)) % clients.length;
        const client = clients[index] as BenchClient;
        const batch = await runBatch(client.send, options.requestsPerRun, options.concurrency);
        if (run < 0) {
          continue;
        }
        const figures = series[index] as ThroughputSeries;
        figures.requestsPerSecond.push(options.requestsPerRun / (batch.elapsedMs / 1000));
        figures.p50Ms.push(percentile(batch.latenciesMs, 50));
        figures.p99Ms.push(percentile(batch.latenciesMs, 99));
      }
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  return series;
}
