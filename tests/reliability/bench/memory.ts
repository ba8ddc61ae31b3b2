import { createLoggedInSession, runBatch } from "./clients.js";
import type { FakeApiProcess } from "./fake-api-process.js";

/** Memory of the benchmark process after a full garbage collection, in bytes. */
export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
}

/** Per-run figures: memory after the warm-up (the baseline) and after the long run. */
export interface MemoryResult {
  readonly warmUp: MemorySample[];
  readonly after: MemorySample[];
  readonly requests: number;
}

export interface MemoryOptions {
  readonly runs: number;
  readonly warmUpRequests: number;
  readonly requests: number;
  readonly concurrency: number;
}

/**
 * Sends `requests` requests on one session and samples memory after a forced garbage
 * collection, once after a warm-up and once at the end. Each run uses a new session, and the
 * previous one is closed first. Needs `node --expose-gc`.
 */
export async function measureMemory(
  api: FakeApiProcess,
  options: MemoryOptions,
): Promise<MemoryResult> {
  const warmUp: MemorySample[] = [];
  const after: MemorySample[] = [];

  for (let run = 0; run < options.runs; run++) {
    const session = await createLoggedInSession(api);
    const send = () => session.apiRequest("/core/v4/users");
    try {
      await runBatch(send, options.warmUpRequests, options.concurrency);
      warmUp.push(await sampleAfterGc());
      await runBatch(send, options.requests, options.concurrency);
      after.push(await sampleAfterGc());
    } finally {
      await session.close();
    }
  }
  return { warmUp, after, requests: options.requests };
}

async function sampleAfterGc(): Promise<MemorySample> {
  const collect = globalThis.gc;
  if (collect === undefined) {
    throw new Error("The memory benchmark needs node --expose-gc; run it with pnpm bench.");
  }
  // Two collections with a turn of the event loop between them also free what finalizers and
  // closed sockets released in the first.
  collect();
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed };
}
