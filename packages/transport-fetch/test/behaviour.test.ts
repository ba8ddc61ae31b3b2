import { Agent } from "undici";
import { afterAll } from "vitest";
import { describeTransportBehaviour } from "../../transport/test/support/behaviour-suite.js";
import { caPem } from "../../transport/test/support/tls-fixtures.js";
import { createFetchTransport } from "../src/index.js";

// Node's own fetch, trusting the test CA through an undici dispatcher. A new dispatcher per
// transport gives each test its own connection pool, as a new Node transport has.
const agents: Agent[] = [];

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
});

describeTransportBehaviour("createFetchTransport", {
  create: (options) => {
    const agent = new Agent({ connect: { ca: caPem } });
    agents.push(agent);
    return createFetchTransport({
      timeoutMs: options?.timeoutMs,
      fetch: (input, init) => fetch(input, { ...init, dispatcher: agent } as RequestInit),
    });
  },
});
