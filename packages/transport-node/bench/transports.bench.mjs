// Benchmark of GET requests over keep-alive against a loopback HTTPS server. It compares
// transport-node with a bare undici request on a Pool with the same connect options, and
// transport-fetch with Node's fetch on the same kind of undici dispatcher. It also measures
// the cost of the pin check per new connection. Run `pnpm --filter @proton/transport-node
// bench` after building; it prints Markdown and writes docs/benchmarks/transports.md.
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { createSecureContext, rootCertificates } from "node:tls";
import { pathToFileURL } from "node:url";
import { createPinnedTlsOptions, spkiPin } from "@proton/pinning";
import { createFetchTransport } from "@proton/transport-fetch";
import { Agent, Pool, request } from "undici";
import { createNodeTransport } from "../dist/index.js";

const ROUNDS = 10;
const ROUND_MS = 700;
const CONCURRENCY = 16;

const fixtures = new URL("../../pinning/test/fixtures/tls/", import.meta.url);
const caPem = readFileSync(new URL("ca.pem", fixtures), "utf8");
const leafPin = spkiPin(readFileSync(new URL("leaf.pem", fixtures), "utf8"));

// ky as @proton/transport-fetch resolves it, to measure ky on its own.
const requireFromFetch = createRequire(import.meta.resolve("@proton/transport-fetch"));
const { default: ky } = await import(pathToFileURL(requireFromFetch.resolve("ky")).href);

const server = fork(new URL("server.mjs", import.meta.url));
const [{ port }] = await once(server, "message");
const origin = `https://127.0.0.1:${port}`;

const secureContext = createSecureContext({ ca: [...rootCertificates, caPem] });
const pinnedTls = () => createPinnedTlsOptions({ host: "127.0.0.1", port, pins: [leafPin] });

/**
 * Runs `send` from `concurrency` loops for `durationMs`. Returns requests per wall-clock second
 * and requests per second of this process's CPU time (user plus system, all threads). The
 * second figure counts only the client's work, so it varies less when other processes load
 * the machine.
 */
async function throughput(send, durationMs, concurrency) {
  const end = performance.now() + durationMs;
  let count = 0;
  const loop = async () => {
    while (performance.now() < end) {
      await send();
      count++;
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { wall: count / ((performance.now() - started) / 1000), cpu: count / cpuSeconds };
}

/** Runs each case once per round, in the same order, and returns samples per case. */
async function measure(cases, concurrency) {
  const samples = Object.fromEntries(
    Object.keys(cases).map((name) => [name, { wall: [], cpu: [] }]),
  );
  for (const send of Object.values(cases)) {
    await throughput(send, ROUND_MS / 2, concurrency); // warm-up
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, send] of Object.entries(cases)) {
      const sample = await throughput(send, ROUND_MS, concurrency);
      samples[name].wall.push(sample.wall);
      samples[name].cpu.push(sample.cpu);
    }
  }
  return samples;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function spread(values) {
  return `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`;
}

/** Median over rounds of the per-round ratio, so drift between rounds cancels out. */
function pairedRatio(subject, baseline) {
  return median(subject.map((value, index) => value / baseline[index]));
}

// Keep-alive throughput.
const pinnedPool = new Pool(origin, {
  connect: { secureContext, timeout: 10_000, ...pinnedTls() },
});
const nodeTransport = createNodeTransport({ ca: caPem, pins: [leafPin] });
const fetchAgent = new Agent({ connect: { ca: caPem } });
const transportAgent = new Agent({ connect: { ca: caPem } });
const kyAgent = new Agent({ connect: { ca: caPem } });
const fetchTransport = createFetchTransport({
  fetch: (input, init) => fetch(input, { ...init, dispatcher: transportAgent }),
});
const url = `${origin}/`;
const kyClient = ky.create({
  retry: 0,
  timeout: false,
  throwHttpErrors: false,
  fetch: (input, init) => fetch(input, { ...init, dispatcher: kyAgent }),
});

const keepAlive = await measure(
  {
    "undici request (baseline)": async () => {
      const response = await request(url, { dispatcher: pinnedPool });
      await response.body.arrayBuffer();
    },
    "transport-node": async () => {
      await nodeTransport.request({ method: "GET", url });
    },
    "Node fetch (baseline)": async () => {
      const response = await fetch(url, { dispatcher: fetchAgent });
      await response.arrayBuffer();
    },
    "transport-fetch": async () => {
      await fetchTransport.request({ method: "GET", url });
    },
    "ky with transport-fetch's options": async () => {
      const response = await kyClient(url);
      await response.arrayBuffer();
    },
  },
  CONCURRENCY,
);

// New connection per request: the server responds to /close with `Connection: close`.
const closeUrl = `${origin}/close`;
const noResumption = new Pool(origin, {
  connect: { secureContext, timeout: 10_000, maxCachedSessions: 0 },
});
const pinned = new Pool(origin, { connect: { secureContext, timeout: 10_000, ...pinnedTls() } });
const resumed = new Pool(origin, { connect: { secureContext, timeout: 10_000 } });
const sendTo = (pool) => async () => {
  const response = await request(closeUrl, { dispatcher: pool });
  await response.body.arrayBuffer();
};
const perConnection = await measure(
  {
    "full handshake, no pin check": sendTo(noResumption),
    "full handshake, pin check": sendTo(pinned),
    "resumed session, no pin check": sendTo(resumed),
  },
  1,
);

await Promise.all(
  [
    pinnedPool,
    nodeTransport,
    fetchAgent,
    transportAgent,
    kyAgent,
    noResumption,
    pinned,
    resumed,
  ].map((closable) => closable.close()),
);
server.disconnect();

// Report.
const rows = (samples) =>
  Object.entries(samples).map(
    ([name, { wall, cpu }]) =>
      `| ${name} | ${Math.round(median(cpu))} | ${spread(cpu)} | ${Math.round(median(wall))} | ${spread(wall)} |`,
  );
const HEADER = `| Case | Median req per CPU-s | Range | Median req/s (wall) | Range |
|---|---|---|---|---|`;
// Client CPU time per request, in microseconds.
const microseconds = (samples, name) => 1e6 / median(samples[name].cpu);
const ratio = (samples, subject, baseline) => ({
  cpu: pairedRatio(samples[subject].cpu, samples[baseline].cpu),
  wall: pairedRatio(samples[subject].wall, samples[baseline].wall),
});
const nodeRatio = ratio(keepAlive, "transport-node", "undici request (baseline)");
const fetchRatio = ratio(keepAlive, "transport-fetch", "Node fetch (baseline)");
const kyRatio = ratio(keepAlive, "ky with transport-fetch's options", "Node fetch (baseline)");
const overKyRatio = ratio(keepAlive, "transport-fetch", "ky with transport-fetch's options");
const describeRatio = ({ cpu, wall }) =>
  `**${cpu.toFixed(2)}x** by CPU time, ${wall.toFixed(2)}x by wall-clock time`;
/** Says whether two cases' CPU-time ranges overlap, which makes their difference noise. */
const overlapNote = (samples, first, second) => {
  const a = samples[first].cpu;
  const b = samples[second].cpu;
  const overlaps = Math.min(...a) <= Math.max(...b) && Math.min(...b) <= Math.max(...a);
  return overlaps ? " The two ranges overlap, so this difference is within this run's noise." : "";
};
const fullPlain = microseconds(perConnection, "full handshake, no pin check");
const fullPinned = microseconds(perConnection, "full handshake, pin check");
const resumedPlain = microseconds(perConnection, "resumed session, no pin check");

const markdown = `# Transport benchmarks

GET requests against a loopback HTTPS server (EC P-256 test certificate, small JSON body)
running in a child process. Each case runs ${ROUNDS} rounds of ${ROUND_MS} ms after a warm-up,
interleaved with the others. Each table gives, per case, the median and range over rounds of
requests per second of client CPU time (user plus system time of the benchmark process) and
of requests per wall-clock second. The machine is shared with other work, so the CPU-time
figure, which counts only the client's own work, is the one to compare; the wall-clock figure
shows how noisy the run was. Ratios are medians of per-round ratios.

- Machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores
- Node.js ${process.version}, undici 7, ky 1.14
- Command: \`pnpm --filter @proton/transport-node bench\`
- Date: ${new Date().toISOString()}

## Keep-alive throughput (${CONCURRENCY} requests in flight)

${HEADER}
${rows(keepAlive).join("\n")}

- transport-node / undici request: ${describeRatio(nodeRatio)} (target ≥ 0.90x)
- transport-fetch / Node fetch: ${describeRatio(fetchRatio)} (target ≥ 0.90x)

The undici baseline uses a Pool with the same connect options as transport-node (shared TLS
context, pin check, no session cache) and reads the body with \`arrayBuffer()\`. The fetch
cases use an undici \`Agent\` that trusts the test CA.

The last row calls ky alone, with the options transport-fetch gives it (no retries, no
timeout, no HTTP errors) and the same kind of dispatcher, to split the gap to bare fetch:

- ky / Node fetch: ${describeRatio(kyRatio)}
- transport-fetch / ky: ${describeRatio(overKyRatio)}

For every call ky builds a \`Request\` with its own \`AbortSignal\` and clones it for retries,
and Node's fetch then builds its own copy; these steps are slow in Node's fetch
implementation. transport-fetch adds the deadline signal and the response handling on top.
Browsers implement \`Request\` natively; this benchmark does not measure them.

## Cost per new connection (one request at a time, \`Connection: close\`)

${HEADER}
${rows(perConnection).join("\n")}

- Pin check: **${(fullPinned - fullPlain).toFixed(0)} µs** of client CPU time per connection
  (${fullPinned.toFixed(0)} µs vs ${fullPlain.toFixed(0)} µs per request with a full handshake).${overlapNote(perConnection, "full handshake, pin check", "full handshake, no pin check")}
  This benchmark pins the leaf, which costs a DER walk and a SHA-256; Node decodes the chain
  and checks the hostname with or without pinning. A pin on an issuer costs more, because each
  link the check climbs is verified: parsing both certificates with \`X509Certificate\` and
  checking the signature took a median of 454 µs (range 296–557 µs, 11 runs of 2,000 checks)
  for one EC P-256 link, measured with the check alone (Intel Xeon, 2 cores, Node 20.20.2).
- Giving up session resumption, which pinning requires: **${(fullPlain - resumedPlain).toFixed(0)} µs**
  of client CPU time per connection (${fullPlain.toFixed(0)} µs vs ${resumedPlain.toFixed(0)} µs).

Keep-alive makes both costs rare: they apply once per new connection, not per request.
`;

const output = new URL("../../../docs/benchmarks/transports.md", import.meta.url);
mkdirSync(new URL(".", output), { recursive: true });
writeFileSync(output, markdown);
console.log(markdown);
