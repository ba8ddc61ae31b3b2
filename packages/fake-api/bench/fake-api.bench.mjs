// Measures request latency of the fake API over real HTTPS against a plain-HTTP baseline run in
// the same process, and a full SRP login against the client-side SRP work alone. Writes the
// Markdown section to docs/benchmarks/fake-api.md and prints it. Run: pnpm --filter
// @proton/fake-api bench (after building the package).
import { writeFile } from "node:fs/promises";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { cpus } from "node:os";
import { getSrp } from "@proton/srp";
import { startFakeApi } from "../dist/index.js";

const ROUNDS = 7;
const USER = { username: "bench", password: "bench-password" };

function send(api, agent, method, path, body, headers = {}) {
  const url = new URL(path, api.url);
  const requestFunction = url.protocol === "https:" ? httpsRequest : httpRequest;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = requestFunction(
      url,
      {
        method,
        agent,
        ca: api.ca,
        headers: {
          "x-pm-appversion": "Other",
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          if (res.statusCode !== 200) {
            reject(new Error(`${method} ${path} failed with HTTP ${res.statusCode}`));
            return;
          }
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Runs `operation` `perRound` times per round; returns per-operation milliseconds per round. */
async function measure(perRound, operation) {
  for (let i = 0; i < Math.max(3, perRound / 10); i++) {
    await operation();
  }
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (let i = 0; i < perRound; i++) {
      await operation();
    }
    rounds.push((performance.now() - started) / perRound);
  }
  rounds.sort((a, b) => a - b);
  return { median: rounds[Math.floor(rounds.length / 2)], min: rounds[0], max: rounds.at(-1) };
}

async function login(api, agent) {
  const info = await send(api, agent, "POST", "/auth/v4/info", { Username: USER.username });
  const proofs = await getSrp(info, USER);
  return send(api, agent, "POST", "/auth/v4", {
    Username: USER.username,
    ClientEphemeral: proofs.clientEphemeral,
    ClientProof: proofs.clientProof,
    SRPSession: info.SRPSession,
  });
}

const plain = await startFakeApi({ http: true, users: [USER] });
const tls = await startFakeApi({ users: [USER] });
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });

const results = [];
try {
  // Both servers and the client code paths get JIT-warm before any row is measured, so the
  // baseline row, measured first, is not slowed by a cold process.
  for (let i = 0; i < 2_000; i++) {
    await send(plain, httpAgent, "GET", "/tests/ping");
    await send(tls, httpsAgent, "GET", "/tests/ping");
  }

  const pingHttp = await measure(500, () => send(plain, httpAgent, "GET", "/tests/ping"));
  const pingHttps = await measure(500, () => send(tls, httpsAgent, "GET", "/tests/ping"));

  const session = await login(tls, httpsAgent);
  const auth = { authorization: `Bearer ${session.AccessToken}`, "x-pm-uid": session.UID };
  const users = await measure(500, () =>
    send(tls, httpsAgent, "GET", "/core/v4/users", undefined, auth),
  );

  let refreshToken = session.RefreshToken;
  const refresh = await measure(300, async () => {
    const answer = await send(
      tls,
      httpsAgent,
      "POST",
      "/auth/v4/refresh",
      { RefreshToken: refreshToken },
      { "x-pm-uid": session.UID },
    );
    refreshToken = answer.RefreshToken;
  });

  const info = await send(tls, httpsAgent, "POST", "/auth/v4/info", { Username: USER.username });
  const clientSrp = await measure(10, () => getSrp(info, USER));
  const fullLogin = await measure(10, () => login(tls, httpsAgent));

  results.push(
    ["GET /tests/ping, plain HTTP (baseline)", pingHttp, pingHttp],
    ["GET /tests/ping, HTTPS", pingHttps, pingHttp],
    ["GET /core/v4/users, HTTPS, token check", users, pingHttp],
    ["POST /auth/v4/refresh, HTTPS, token rotation", refresh, pingHttp],
    ["getSrp alone, client side, version 4 (baseline)", clientSrp, clientSrp],
    ["info + getSrp + login, HTTPS, version 4", fullLogin, clientSrp],
  );
} finally {
  httpAgent.destroy();
  httpsAgent.destroy();
  await plain.close();
  await tls.close();
}

const format = (value) => (value >= 10 ? value.toFixed(1) : value.toFixed(3));
const lines = [
  "## @proton/fake-api",
  "",
  `Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}.`,
  `Command: \`pnpm --filter @proton/fake-api bench\`. Date: ${new Date().toISOString().slice(0, 10)}.`,
  `Sequential requests on one keep-alive connection; ${ROUNDS} rounds, median per operation with the`,
  "min-max spread of the round means, and the ratio to the nearest baseline row above.",
  "",
  "| Operation | Median (ms) | Spread (ms) | Ratio to baseline |",
  "|---|---|---|---|",
  ...results.map(
    ([name, result, baseline]) =>
      `| ${name} | ${format(result.median)} | ${format(result.min)}-${format(result.max)} | ${(result.median / baseline.median).toFixed(2)}x |`,
  ),
  "",
];
const section = lines.join("\n");
await writeFile(new URL("../../../docs/benchmarks/fake-api.md", import.meta.url), section);
console.log(section);
