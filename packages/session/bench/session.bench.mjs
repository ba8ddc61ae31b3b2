// Benchmark: the cost the session adds on top of its transport, against the fake API over
// pinned HTTPS running in a child process.
//   1. Keep-alive throughput of authenticated GET /core/v4/users, 16 in flight:
//      session.apiRequest vs transport.request with the same headers and JSON parsing.
//   2. A full login (info, modulus check, SRP, login, proof check) vs the client SRP work alone.
//   3. 50 concurrent requests right after the access tokens expired (one shared refresh) vs 50
//      concurrent requests with valid tokens.
// Run with `pnpm --filter @proton/session bench`; it prints Markdown and writes
// docs/benchmarks/session.md.
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { getSrp } from "@proton/srp";
import { createNodeTransport } from "@proton/transport-node";
import { Session } from "../dist/index.js";

const ROUNDS = 7;
const ROUND_MS = 1_000;
const CONCURRENCY = 16;
const BURST = 50;
const USER = { username: "bench", password: "bench-password" };

const server = fork(new URL("fake-api-server.mjs", import.meta.url), [JSON.stringify([USER])]);
const [ready] = await once(server, "message");

function ask(message, reply) {
  const answer = new Promise((resolve) => {
    const listener = (received) => {
      if (received.type === reply) {
        server.off("message", listener);
        resolve(received);
      }
    };
    server.on("message", listener);
  });
  server.send(message);
  return answer;
}

const transport = createNodeTransport({ pins: [ready.pin], ca: ready.ca });
const session = new Session({ apiUrl: ready.url, appVersion: "Other", transport });
await session.authenticate(USER.username, USER.password);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function spread(values, digits = 0) {
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}

/** Median over rounds of the per-round ratio, so drift between rounds cancels out. */
function pairedRatio(subject, baseline) {
  return median(subject.map((value, index) => value / baseline[index]));
}

/** Runs `send` from `CONCURRENCY` loops for `durationMs` and returns requests per second. */
async function throughput(send, durationMs) {
  const end = performance.now() + durationMs;
  let count = 0;
  const loop = async () => {
    while (performance.now() < end) {
      await send();
      count++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  return count / ((performance.now() - started) / 1000);
}

async function timeMs(action) {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

// 1. Throughput.
const usersUrl = `${ready.url}/core/v4/users`;
const rawRequest = async () => {
  const response = await transport.request({
    method: "GET",
    url: usersUrl,
    headers: {
      accept: "application/vnd.protonmail.v1+json",
      "x-pm-appversion": "Other",
      "user-agent": "proton-ts",
      "x-pm-uid": session.uid,
      authorization: `Bearer ${session.accessToken}`,
    },
  });
  const body = JSON.parse(response.text());
  if (response.status !== 200 || body.Code !== 1000) {
    throw new Error(`Baseline request failed with HTTP ${response.status}`);
  }
};
const sessionRequest = () => session.apiRequest("/core/v4/users");

const throughputSamples = { baseline: [], session: [] };
await throughput(rawRequest, ROUND_MS / 2);
await throughput(sessionRequest, ROUND_MS / 2);
for (let round = 0; round < ROUNDS; round++) {
  throughputSamples.baseline.push(await throughput(rawRequest, ROUND_MS));
  throughputSamples.session.push(await throughput(sessionRequest, ROUND_MS));
}

// 2. Login.
const loginSamples = { srp: [], login: [] };
for (let round = 0; round < ROUNDS; round++) {
  const infoResponse = await transport.request({
    method: "POST",
    url: `${ready.url}/auth/v4/info`,
    headers: { "x-pm-appversion": "Other" },
    body: { Username: USER.username },
  });
  const info = JSON.parse(infoResponse.text());
  loginSamples.srp.push(await timeMs(() => getSrp(info, USER)));

  const loginSession = new Session({ apiUrl: ready.url, appVersion: "Other", transport });
  loginSamples.login.push(
    await timeMs(() => loginSession.authenticate(USER.username, USER.password)),
  );
  await loginSession.logout();
}

// 3. Burst after expiry.
const burst = () =>
  Promise.all(Array.from({ length: BURST }, () => session.apiRequest("/core/v4/users")));
const burstSamples = { valid: [], expired: [] };
const refreshCounts = [];
await burst();
for (let round = 0; round < ROUNDS; round++) {
  burstSamples.valid.push(await timeMs(burst));
  await ask({ type: "count", route: "POST /auth/v4/refresh" }, "count");
  await ask({ type: "expire" }, "expired");
  burstSamples.expired.push(await timeMs(burst));
  const { count } = await ask({ type: "count", route: "POST /auth/v4/refresh" }, "count");
  refreshCounts.push(count);
}

await session.logout();
await transport.close();
server.disconnect();

// Report.
const requestRatio = pairedRatio(throughputSamples.session, throughputSamples.baseline);
const loginRatio = pairedRatio(loginSamples.login, loginSamples.srp);
const burstRatio = pairedRatio(burstSamples.expired, burstSamples.valid);
const cpu = os.cpus()[0]?.model ?? "unknown CPU";

const markdown = `# Session benchmarks

The session against \`@proton/fake-api\` over HTTPS pinned to its certificate, on loopback, with
the fake API in a child process. Each case runs ${ROUNDS} rounds after a warm-up, interleaved
with its baseline; tables give the median and the range over rounds. Ratios are medians of
per-round ratios, which pair each round with its baseline, so they hold up better than the
absolute figures when other work shares the machine (wide ranges are a sign of that).

- Machine: ${cpu}, ${os.cpus().length} cores
- Node.js ${process.version}
- Command: \`pnpm --filter @proton/session bench\`
- Date: ${new Date().toISOString()}

## Request overhead (authenticated GET /core/v4/users, ${CONCURRENCY} in flight, keep-alive)

| Case | Median req/s | Range |
|---|---|---|
| transport.request with the same headers (baseline) | ${Math.round(median(throughputSamples.baseline))} | ${spread(throughputSamples.baseline)} |
| session.apiRequest | ${Math.round(median(throughputSamples.session))} | ${spread(throughputSamples.session)} |

- session / transport: **${requestRatio.toFixed(2)}x**

## Login

| Case | Median ms | Range |
|---|---|---|
| getSrp alone: bcrypt and SRP math (baseline) | ${median(loginSamples.srp).toFixed(1)} | ${spread(loginSamples.srp, 1)} |
| session.authenticate: info, modulus check, SRP, login, proof check | ${median(loginSamples.login).toFixed(1)} | ${spread(loginSamples.login, 1)} |

- authenticate / getSrp: **${loginRatio.toFixed(2)}x**. The difference is two round trips and the
  fake API's server-side SRP work, which runs in the other process on the same cores.

## ${BURST} concurrent requests

| Case | Median ms | Range |
|---|---|---|
| valid access tokens (baseline) | ${median(burstSamples.valid).toFixed(1)} | ${spread(burstSamples.valid, 1)} |
| access tokens just expired: 401s, one refresh, replays | ${median(burstSamples.expired).toFixed(1)} | ${spread(burstSamples.expired, 1)} |

- expired / valid: **${burstRatio.toFixed(2)}x**
- Refresh requests per expired burst: ${refreshCounts.join(", ")}
`;

const output = new URL("../../../docs/benchmarks/session.md", import.meta.url);
mkdirSync(new URL(".", output), { recursive: true });
writeFileSync(output, markdown);
console.log(markdown);
