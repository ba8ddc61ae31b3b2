// End-to-end benchmarks of the facade Session against the fake API over pinned HTTPS, with the
// fake API in a child process on loopback:
//   1. keep-alive throughput and p50/p99 latency at 64 requests in flight: Session.apiRequest vs
//      the bare transport vs bare undici;
//   2. a refresh storm: 1,000 concurrent requests on an expired access token;
//   3. memory after 100,000 requests on one session.
// `pnpm --filter @proton/reliability bench` prints Markdown and writes
// docs/benchmarks/reliability.md. With `--quick` it runs small counts and writes nothing.
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeApiProcess } from "./fake-api-process.js";
import { measureMemory } from "./memory.js";
import { measureRefreshStorm } from "./refresh-storm.js";
import { memoryWithinBounds, renderReport } from "./report.js";
import { measureThroughput } from "./throughput.js";

const quick = process.argv.includes("--quick");

export const SETTINGS = {
  throughput: {
    runs: quick ? 2 : 9,
    requestsPerRun: quick ? 500 : 8_000,
    concurrency: 64,
  },
  storm: { runs: quick ? 2 : 9, requests: 1_000 },
  memory: {
    runs: quick ? 1 : 3,
    warmUpRequests: quick ? 1_000 : 10_000,
    requests: quick ? 5_000 : 100_000,
    concurrency: 64,
  },
} as const;

const api = await startFakeApiProcess();
try {
  const started = new Date();
  const loadAtStart = loadavg()[0] ?? 0;
  const throughput = await measureThroughput(api, SETTINGS.throughput);
  const storm = await measureRefreshStorm(api, SETTINGS.storm.runs, SETTINGS.storm.requests);
  const memory = await measureMemory(api, SETTINGS.memory);

  const load = { start: loadAtStart, end: loadavg()[0] ?? 0 };
  const report = renderReport({ started, load, settings: SETTINGS, throughput, storm, memory });
  process.stdout.write(report);
  if (!quick) {
    const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
    const target = join(root, "docs", "benchmarks", "reliability.md");
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, report);
    process.stdout.write(`\nWrote ${target}\n`);
  }
  const stormFailed = storm.refreshCalls.some((calls) => calls !== 1) || storm.failures > 0;
  if (stormFailed || !memoryWithinBounds(memory)) {
    process.exitCode = 1;
  }
} finally {
  await api.stop();
}
