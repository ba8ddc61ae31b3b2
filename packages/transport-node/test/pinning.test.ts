import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { CertificateError, NetworkError, PinningError } from "@proton/errors";
import { type PinFailureReport, PROTON_API_PIN_SET } from "@proton/pinning";
import { afterEach, describe, expect, it } from "vitest";
import {
  type HttpsServerOptions,
  sendJson,
  startConnectProxy,
  startHttpsServer,
  type TestServer,
} from "../../transport/test/support/servers.js";
import { caPem, pins, readFixture } from "../../transport/test/support/tls-fixtures.js";
import {
  createNodeTransport,
  type NodeTransport,
  type NodeTransportOptions,
} from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

async function server(options?: HttpsServerOptions): Promise<TestServer & { requests: number }> {
  let requests = 0;
  const started = await startHttpsServer((_request, response) => {
    requests++;
    sendJson(response, 200, { Code: 1000 });
  }, options);
  cleanups.push(() => started.close());
  return Object.defineProperty(started, "requests", { get: () => requests }) as TestServer & {
    requests: number;
  };
}

function transport(options: NodeTransportOptions): NodeTransport {
  const created = createNodeTransport({ ca: caPem, ...options });
  cleanups.push(() => created.close());
  return created;
}

async function failure(client: NodeTransport, url: string): Promise<unknown> {
  return client.request({ method: "GET", url }).catch((caught: unknown) => caught);
}

describe("createNodeTransport pinning", () => {
  it("accepts the leaf's pin", async () => {
    const target = await server();

    const response = await transport({ pins: [pins.leaf] }).request({
      method: "GET",
      url: target.url,
    });

    expect(response.status).toBe(200);
  });

  it("accepts a backup pin", async () => {
    const target = await server();

    const response = await transport({ pins: [pins.rotated, pins.leaf] }).request({
      method: "GET",
      url: target.url,
    });

    expect(response.status).toBe(200);
  });

  it("accepts the CA's pin with the chain served", async () => {
    const target = await server({ sendChain: true });

    const response = await transport({ pins: [pins.ca] }).request({
      method: "GET",
      url: target.url,
    });

    expect(response.status).toBe(200);
  });

  it("rejects a wrong pin before sending", async () => {
    const target = await server();

    const error = await failure(transport({ pins: [pins.rotated] }), `${target.url}/auth/v4`);

    expect(PinningError.isInstance(error)).toBe(true);
    const typed = error as PinningError;
    expect(typed.host).toBe("127.0.0.1");
    expect(typed.port).toBe(target.port);
    expect(typed.servedPins).toContain(pins.leaf);
    expect(typed.expectedPins).toEqual([pins.rotated]);
    expect(typed.message).toContain(`127.0.0.1:${target.port}`);
    expect(target.requests).toBe(0);
  });

  it("hands a pin failure report to onPinFailure", async () => {
    const target = await server();
    const reports: PinFailureReport[] = [];

    const error = await failure(
      transport({ pins: [pins.rotated], onPinFailure: (report) => reports.push(report) }),
      target.url,
    );

    expect(PinningError.isInstance(error)).toBe(true);
    expect(reports).toHaveLength(1);
    const report = reports[0] as PinFailureReport;
    expect(report.hostname).toBe("127.0.0.1");
    expect(report.port).toBe(target.port);
    expect(report["known-pins"]).toEqual([`pin-sha256="${pins.rotated}"`]);
    expect(report["served-certificate-chain"][0]).toBe(readFixture("leaf.pem"));
    expect(Date.parse(report["date-time"])).toBeGreaterThan(Date.now() - 60_000);
  });

  it("rejects a host without pins before connecting", async () => {
    const target = await server();

    const error = await failure(transport({}), target.url);

    expect(PinningError.isInstance(error)).toBe(true);
    expect((error as PinningError).expectedPins).toEqual([]);
    expect((error as Error).message).toContain("No pins are known for 127.0.0.1");
    expect(target.connections).toBe(0);
  });

  it("pins Proton hosts to the published set by default", async () => {
    // The test proxy tunnels every CONNECT to 127.0.0.1, so this request reaches the loopback
    // server that presents a test certificate for api.protonmail.ch.
    const target = await server({ certificate: "proton-api" });
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());

    const error = await failure(
      transport({ proxy: proxy.url }),
      `https://api.protonmail.ch:${target.port}/tests/ping`,
    );

    expect(PinningError.isInstance(error)).toBe(true);
    expect((error as PinningError).host).toBe("api.protonmail.ch");
    expect((error as PinningError).expectedPins).toEqual(PROTON_API_PIN_SET.pins);
    expect((error as PinningError).servedPins).toContain(pins["proton-api"]);
    expect(proxy.tunnels).toEqual([`api.protonmail.ch:${target.port}`]);
    expect(target.requests).toBe(0);
  });

  it("checks the hostname before the pin", async () => {
    const target = await server({ certificate: "wrong-host" });

    const error = await failure(transport({ pins: [pins["wrong-host"]] }), target.url);

    expect(PinningError.isInstance(error)).toBe(false);
    expect((error as CertificateError).reason).toBe("hostname-mismatch");
    expect((error as NetworkError).errorCode).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  it("keeps CA validation with pinning off", async () => {
    const trusted = await server();
    const untrusted = await server({ certificate: "untrusted" });
    const client = transport({ pinning: false });

    const response = await client.request({ method: "GET", url: trusted.url });
    const error = await failure(client, untrusted.url);

    expect(response.status).toBe(200);
    expect(CertificateError.isInstance(error)).toBe(true);
    expect((error as CertificateError).reason).toBe("untrusted");
    expect((error as NetworkError).errorCode).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });

  it("rejects the test CA unless ca is given", async () => {
    const target = await server();
    const client = createNodeTransport({ pins: [pins.leaf] });
    cleanups.push(() => client.close());

    const error = await failure(client, target.url);

    expect(NetworkError.isInstance(error)).toBe(true);
    expect((error as NetworkError).errorCode).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });
});

describe("createNodeTransport with NODE_TLS_REJECT_UNAUTHORIZED=0", () => {
  // The variable makes rejectUnauthorized default to false for every TLS connection of the
  // process, so it is set only in a child process.
  // NOTE: the child imports the built package (dist), so a stale build tests old code. Run
  // `pnpm --filter @proton/transport-node build` after changing src.
  const run = promisify(execFile);
  const entry = new URL("../dist/index.js", import.meta.url).href;
  const script = `
    const { createNodeTransport } = await import(${JSON.stringify(entry)});
    const [url, pin, ca] = JSON.parse(process.argv[1]);
    const transport = createNodeTransport({ pins: [pin], ca });
    try {
      const response = await transport.request({ method: "GET", url });
      console.log("status " + response.status);
    } catch (error) {
      console.log(error.name);
    } finally {
      await transport.close();
    }
  `;

  async function requestInChild(url: string, pin: string): Promise<string> {
    const { stdout } = await run(
      process.execPath,
      ["--input-type=module", "--eval", script, JSON.stringify([url, pin, caPem])],
      { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: "0" }, timeout: 20_000 },
    );
    return stdout.trim();
  }

  it("still rejects a wrong pin", async () => {
    const target = await server();

    expect(await requestInChild(target.url, pins.rotated)).toBe("PinningError");
    expect(target.requests).toBe(0);
  });

  it("still rejects an untrusted CA", async () => {
    const target = await server({ certificate: "untrusted" });

    expect(await requestInChild(target.url, pins.untrusted)).toBe("CertificateError");
    expect(target.requests).toBe(0);
  });

  it("still accepts the right pin", async () => {
    const target = await server();

    expect(await requestInChild(target.url, pins.leaf)).toBe("status 200");
  });
});

describe("createNodeTransport TLS session resumption", () => {
  // Both servers share session ticket keys, so a client that offers the first server's session
  // to the second one resumes it, and Node then skips checkServerIdentity and the pin check.
  async function rotateKey(
    options: NodeTransportOptions,
  ): Promise<{ first: TestServer; second: TestServer; error: unknown; status?: number }> {
    const ticketKeys = randomBytes(48);
    const client = transport(options);

    const first = await startHttpsServer((_request, response) => sendJson(response, 200, {}), {
      ticketKeys,
    });
    const firstResponse = await client.request({ method: "GET", url: first.url });
    expect(firstResponse.status).toBe(200);
    await first.close();

    const second = await startHttpsServer((_request, response) => sendJson(response, 200, {}), {
      ticketKeys,
      certificate: "rotated",
      port: first.port,
    });
    cleanups.push(() => second.close());
    try {
      const response = await client.request({ method: "GET", url: second.url });
      return { first, second, error: undefined, status: response.status };
    } catch (error) {
      return { first, second, error };
    }
  }

  it("resumes sessions when pinning is off", async () => {
    const { second, status } = await rotateKey({ pinning: false });

    expect(status).toBe(200);
    expect(second.resumedSessions).toBe(1);
  });

  it("never resumes a pinned session", async () => {
    const { second, error } = await rotateKey({ pins: [pins.leaf] });

    expect(PinningError.isInstance(error)).toBe(true);
    expect((error as PinningError).servedPins).toContain(pins.rotated);
    expect(second.resumedSessions).toBe(0);
  });
});
