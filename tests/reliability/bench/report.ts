import { cpus } from "node:os";
import type { MemoryResult, MemorySample } from "./memory.js";
import type { RefreshStormResult } from "./refresh-storm.js";
import { median, pairedRatio, range } from "./statistics.js";
import type { ThroughputSeries } from "./throughput.js";

/**
 * Largest heap growth accepted between the warm-up sample and the sample after the long run,
 * in MiB. The session keeps no per-request state, so a leak of 42 bytes per request over
 * 100,000 requests would already exceed it.
 */
export const HEAP_GROWTH_BOUND_MIB = 4;

/**
 * Largest median resident-memory growth accepted over the same span, in MiB. RSS also moves
 * with the allocator and undici's buffers: single runs on a 2-core Xeon moved between -18.8 and
 * +16.3 MiB while the heap grew less than 0.4 MiB. The bound therefore applies to the median of
 * the runs, and a leak of 168 bytes per request over 100,000 requests would exceed it.
 */
export const RSS_GROWTH_BOUND_MIB = 16;

/** Returns whether every run stays within the heap bound and the median within the RSS bound. */
export function memoryWithinBounds(memory: MemoryResult): boolean {
  const heapGrowth = memory.after.map((sample, index) => {
    const baseline = memory.warmUp[index] as MemorySample;
    return (sample.heapUsed - baseline.heapUsed) / MIB;
  });
  const rssGrowth = memory.after.map((sample, index) => {
    const baseline = memory.warmUp[index] as MemorySample;
    return (sample.rss - baseline.rss) / MIB;
  });
  return (
    heapGrowth.every((growth) => growth <= HEAP_GROWTH_BOUND_MIB) &&
    medianOf(rssGrowth) <= RSS_GROWTH_BOUND_MIB
  );
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const MIB = 1024 * 1024;

export interface ReportInput {
  readonly started: Date;
  /** One-minute load average of the machine when the benchmarks started and ended. */
  readonly load: { readonly start: number; readonly end: number };
  readonly settings: {
    readonly throughput: { runs: number; requestsPerRun: number; concurrency: number };
    readonly storm: { runs: number; requests: number };
    readonly memory: {
      runs: number;
      warmUpRequests: number;
      requests: number;
      concurrency: number;
    };
  };
  readonly throughput: ThroughputSeries[];
  readonly storm: RefreshStormResult;
  readonly memory: MemoryResult;
}

/** Renders the benchmark section of docs/benchmarks/reliability.md. */
export function renderReport(input: ReportInput): string {
  return [
    "# End-to-end benchmarks: throughput, refresh storm, memory",
    "",
    "The `@proton/api` `Session` against `@proton/fake-api` over HTTPS pinned to the fake API's",
    "certificate, on loopback, with the fake API in a child process. Each figure is the median",
    "over runs with the range (min–max) next to it; each ratio is the median of per-run ratios",
    "against a baseline measured in the same run.",
    "",
    `- Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores`,
    `- Node.js ${process.version}`,
    "- Command: `pnpm --filter @proton/reliability bench`",
    `- Date: ${input.started.toISOString()}`,
    `- Load average (1 min) at start and end: ${input.load.start.toFixed(2)}, ${input.load.end.toFixed(2)}; ` +
      "a higher load widens the ranges",
    "",
    ...renderThroughput(input),
    "",
    ...renderStorm(input),
    "",
    ...renderMemory(input),
    "",
  ].join("\n");
}

function renderThroughput(input: ReportInput): string[] {
  const { runs, requestsPerRun, concurrency } = input.settings.throughput;
  const [undici, transport, session] = input.throughput as [
    ThroughputSeries,
    ThroughputSeries,
    ThroughputSeries,
  ];
  const row = (series: ThroughputSeries, label: string): string =>
    `| ${label} | ${median(series.requestsPerSecond).toFixed(0)} | ${range(series.requestsPerSecond)} | ` +
    `${median(series.p50Ms).toFixed(2)} | ${range(series.p50Ms, 2)} | ` +
    `${median(series.p99Ms).toFixed(2)} | ${range(series.p99Ms, 2)} |`;

  return [
    `## Request throughput (GET /core/v4/users, ${concurrency} in flight, keep-alive)`,
    "",
    `${runs} runs of ${requestsPerRun.toLocaleString("en-US")} requests per client after one warm-up run; the clients`,
    "take turns in a rotating order. Every client sends the session's headers and parses the",
    "JSON reply. Latency is per request, from send to parsed body.",
    "",
    "| Client | Median req/s | Range | p50 ms | Range | p99 ms | Range |",
    "|---|---|---|---|---|---|---|",
    row(undici, `${undici.name} (baseline)`),
    row(transport, transport.name),
    row(session, session.name),
    "",
    `- Throughput, Session / undici: **${pairedRatio(session.requestsPerSecond, undici.requestsPerSecond).toFixed(2)}x**; ` +
      `transport / undici: **${pairedRatio(transport.requestsPerSecond, undici.requestsPerSecond).toFixed(2)}x**; ` +
      `Session / transport: **${pairedRatio(session.requestsPerSecond, transport.requestsPerSecond).toFixed(2)}x**`,
    `- p99 latency, Session / undici: **${pairedRatio(session.p99Ms, undici.p99Ms).toFixed(2)}x**; ` +
      `Session / transport: **${pairedRatio(session.p99Ms, transport.p99Ms).toFixed(2)}x**`,
  ];
}

function renderStorm(input: ReportInput): string[] {
  const { runs, requests } = input.settings.storm;
  const { stormMs, baselineMs, refreshCalls, unauthorized, failures } = input.storm;
  const callsMet = refreshCalls.every((calls) => calls === 1);
  return [
    `## Refresh storm (${requests.toLocaleString("en-US")} concurrent requests on an expired access token)`,
    "",
    `${runs} runs on one session. Each run first sends the burst on a valid token (the baseline).`,
    "It then expires the access token through the fake API's control API and sends the burst",
    "again, so every request gets a 401, waits for one shared refresh and is replayed. Refresh",
    "calls and 401s are counted from the fake API's request log.",
    "",
    "| Case | Median ms until all complete | Range |",
    "|---|---|---|",
    `| burst on a valid token (baseline) | ${median(baselineMs).toFixed(1)} | ${range(baselineMs, 1)} |`,
    `| burst on an expired token | ${median(stormMs).toFixed(1)} | ${range(stormMs, 1)} |`,
    "",
    `- Refresh calls per run: ${refreshCalls.join(", ")} (${callsMet ? "1 in every run, as required" : "NOT 1 in every run"})`,
    `- 401 responses per run: ${unauthorized.join(", ")}`,
    `- Failed requests over all storms: ${failures}`,
    `- Storm / baseline: **${pairedRatio(stormMs, baselineMs).toFixed(2)}x** (the storm sends each request twice, plus the refresh)`,
  ];
}

function renderMemory(input: ReportInput): string[] {
  const { runs, warmUpRequests, requests, concurrency } = input.settings.memory;
  const { warmUp, after } = input.memory;
  const heap = (samples: MemorySample[]) => samples.map((sample) => sample.heapUsed / MIB);
  const rss = (samples: MemorySample[]) => samples.map((sample) => sample.rss / MIB);
  const growth = after.map(
    (sample, index) => (sample.heapUsed - (warmUp[index] as MemorySample).heapUsed) / MIB,
  );
  const maxGrowth = Math.max(...growth);
  const rssGrowth = after.map(
    (sample, index) => (sample.rss - (warmUp[index] as MemorySample).rss) / MIB,
  );
  const maxRssGrowth = Math.max(...rssGrowth);
  const row = (label: string, samples: MemorySample[]): string =>
    `| ${label} | ${median(heap(samples)).toFixed(1)} | ${range(heap(samples), 1)} | ` +
    `${median(rss(samples)).toFixed(1)} | ${range(rss(samples), 1)} |`;

  return [
    `## Memory (${requests.toLocaleString("en-US")} requests on one session)`,
    "",
    `${runs} runs, each on a new session: ${warmUpRequests.toLocaleString("en-US")} warm-up requests, a sample, then`,
    `${requests.toLocaleString("en-US")} requests at ${concurrency} in flight and a second sample. Each sample is taken after two`,
    "forced garbage collections (`node --expose-gc`) and covers the whole benchmark process.",
    "",
    "| Sample | Median heap MiB | Range | Median RSS MiB | Range |",
    "|---|---|---|---|---|",
    row("after the warm-up (baseline)", warmUp),
    row(`after ${requests.toLocaleString("en-US")} more requests`, after),
    "",
    `- Heap growth: median **${median(growth).toFixed(2)} MiB**, range ${range(growth, 2)} MiB; ` +
      `after / baseline: **${pairedRatio(heap(after), heap(warmUp)).toFixed(2)}x**`,
    `- RSS growth: median ${median(rssGrowth).toFixed(1)} MiB, range ${range(rssGrowth, 1)} MiB`,
    `- Bound: heap growth of at most ${HEAP_GROWTH_BOUND_MIB} MiB per run: ${maxGrowth <= HEAP_GROWTH_BOUND_MIB ? "met" : "NOT met"} (largest ${maxGrowth.toFixed(2)} MiB)`,
    `- Bound: median RSS growth of at most ${RSS_GROWTH_BOUND_MIB} MiB: ${median(rssGrowth) <= RSS_GROWTH_BOUND_MIB ? "met" : "NOT met"} (median ${median(rssGrowth).toFixed(1)} MiB, largest run ${maxRssGrowth.toFixed(1)} MiB)`,
  ];
}
