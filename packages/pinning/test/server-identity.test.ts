import { randomBytes } from "node:crypto";
import https from "node:https";
import { PinningError } from "@proton/errors";
import { afterEach, describe, expect, it } from "vitest";
import {
  createPinFailureReport,
  createPinnedServerIdentityCheck,
  createPinnedTlsOptions,
  type PinFailureReport,
} from "../src/index.js";
import { fixture, get, type LoopbackServer, opensslPin, startServer } from "./support.js";

const ca = fixture("ca.pem");
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

async function server(certificate: string): Promise<LoopbackServer> {
  const started = await startServer(certificate);
  cleanups.push(() => started.close());
  return started;
}

function agent(options: https.AgentOptions): https.Agent {
  const created = new https.Agent({ ca, keepAlive: false, ...options });
  cleanups.push(() => created.destroy());
  return created;
}

describe("createPinnedServerIdentityCheck", () => {
  it("passes a matching pin", async () => {
    const target = await server("leaf");
    const check = createPinnedServerIdentityCheck({
      host: "127.0.0.1",
      port: target.port,
      pins: [opensslPin("leaf")],
    });

    expect(await get(target.url, agent({ checkServerIdentity: check }))).toBe("ok");
  });

  it("passes a pin of the issuing CA", async () => {
    const target = await server("leaf");
    const check = createPinnedServerIdentityCheck({
      host: "127.0.0.1",
      port: target.port,
      pins: [opensslPin("ca")],
    });

    expect(await get(target.url, agent({ checkServerIdentity: check }))).toBe("ok");
  });

  it("fails a wrong pin with PinningError and a report", async () => {
    const target = await server("leaf");
    const reports: PinFailureReport[] = [];
    const check = createPinnedServerIdentityCheck({
      host: "127.0.0.1",
      port: target.port,
      pins: [opensslPin("rotated")],
      onPinFailure: (report) => reports.push(report),
    });

    const error = await get(target.url, agent({ checkServerIdentity: check })).catch(
      (caught: unknown) => caught,
    );

    expect(PinningError.isInstance(error)).toBe(true);
    expect((error as PinningError).servedPins).toEqual([opensslPin("leaf"), opensslPin("ca")]);
    expect((error as PinningError).expectedPins).toEqual([opensslPin("rotated")]);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.["served-certificate-chain"]).toEqual([fixture("leaf.pem"), ca]);
  });

  it("ignores an error thrown by the reporter", async () => {
    const target = await server("leaf");
    const check = createPinnedServerIdentityCheck({
      host: "127.0.0.1",
      port: target.port,
      pins: [opensslPin("rotated")],
      onPinFailure: () => {
        throw new Error("reporter failed");
      },
    });

    const error = await get(target.url, agent({ checkServerIdentity: check })).catch(
      (caught: unknown) => caught,
    );

    expect(PinningError.isInstance(error)).toBe(true);
  });

  it("fails a pin found only in a forged issuer", async () => {
    // forged-chain.pem is leaf.pem (signed by the trusted test CA) followed by a certificate
    // that copies the CA's subject and key identifier but carries rotated's public key and a
    // signature by an unrelated key. Node links it as the leaf's issuer.
    const started = await startServer("forged-chain", { key: "leaf" });
    cleanups.push(() => started.close());
    const check = createPinnedServerIdentityCheck({
      host: "127.0.0.1",
      port: started.port,
      pins: [opensslPin("rotated")],
    });

    const error = await get(started.url, agent({ checkServerIdentity: check })).catch(
      (caught: unknown) => caught,
    );

    expect(PinningError.isInstance(error)).toBe(true);
    expect((error as PinningError).servedPins).toContain(opensslPin("leaf"));
  });

  it("passes the leaf pin with a forged issuer served", async () => {
    const started = await startServer("forged-chain", { key: "leaf" });
    cleanups.push(() => started.close());
    const check = createPinnedServerIdentityCheck({
      host: "127.0.0.1",
      port: started.port,
      pins: [opensslPin("leaf")],
    });

    expect(await get(started.url, agent({ checkServerIdentity: check }))).toBe("ok");
  });

  it("runs the hostname check first", async () => {
    const target = await server("wrong-host");
    const check = createPinnedServerIdentityCheck({
      host: "127.0.0.1",
      port: target.port,
      pins: [opensslPin("wrong-host")],
    });

    const error = await get(target.url, agent({ checkServerIdentity: check })).catch(
      (caught: unknown) => caught,
    );

    expect(PinningError.isInstance(error)).toBe(false);
    expect((error as { code?: string }).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });
});

describe("TLS session resumption", () => {
  // Two servers on one port share session ticket keys, and the second presents another key.
  async function requestAfterKeyChange(options: https.AgentOptions): Promise<{
    second: LoopbackServer;
    result: unknown;
  }> {
    const ticketKeys = randomBytes(48);
    const client = agent(options);

    const first = await startServer("leaf", { ticketKeys });
    expect(await get(first.url, client)).toBe("ok");
    await first.close();

    const second = await startServer("rotated", { ticketKeys, port: first.port });
    cleanups.push(() => second.close());
    const result = await get(second.url, client).catch((caught: unknown) => caught);
    return { second, result };
  }

  it("skips checkServerIdentity on resumed sessions", async () => {
    const check = createPinnedServerIdentityCheck({
      host: "127.0.0.1",
      port: 0,
      pins: [opensslPin("leaf")],
    });

    const { second, result } = await requestAfterKeyChange({ checkServerIdentity: check });

    // This is Node's behaviour, and the reason createPinnedTlsOptions exists.
    expect(second.resumedSessions).toBe(1);
    expect(result).toBe("ok");
  });

  it("enforces pins with createPinnedTlsOptions", async () => {
    const options = createPinnedTlsOptions({
      host: "127.0.0.1",
      port: 0,
      pins: [opensslPin("leaf")],
    });

    const { second, result } = await requestAfterKeyChange(options);

    expect(second.resumedSessions).toBe(0);
    expect(PinningError.isInstance(result)).toBe(true);
    expect((result as PinningError).servedPins).toContain(opensslPin("rotated"));
  });
});

describe("createPinnedTlsOptions", () => {
  it("overrides rejectUnauthorized: false", async () => {
    // NODE_TLS_REJECT_UNAUTHORIZED=0 makes rejectUnauthorized default to false, and Node then
    // ignores the PinningError. The pinned options must replace that default.
    const target = await server("leaf");
    const options = createPinnedTlsOptions({
      host: "127.0.0.1",
      port: target.port,
      pins: [opensslPin("rotated")],
    });

    const lenient: https.AgentOptions = { rejectUnauthorized: false };

    const error = await get(target.url, agent({ ...lenient, ...options })).catch(
      (caught: unknown) => caught,
    );

    expect(options.rejectUnauthorized).toBe(true);
    expect(PinningError.isInstance(error)).toBe(true);
  });
});

describe("createPinFailureReport", () => {
  it("fills the RFC 7469 fields", () => {
    const der = new Uint8Array(
      Buffer.from(fixture("leaf.pem").split("\n").slice(1, -2).join(""), "base64"),
    );

    const report = createPinFailureReport({
      hostname: "api.protonmail.ch",
      port: 443,
      chain: [der],
      knownPins: ["drtmcR2kFkM8qJClsuWgUzxgBkePfRCkRpqUesyDmeE="],
      date: new Date("2026-01-02T03:04:05.000Z"),
    });

    expect(report).toEqual({
      "date-time": "2026-01-02T03:04:05.000Z",
      hostname: "api.protonmail.ch",
      port: 443,
      "include-subdomains": false,
      "noted-hostname": "api.protonmail.ch",
      "served-certificate-chain": [fixture("leaf.pem")],
      "validated-certificate-chain": [fixture("leaf.pem")],
      "known-pins": ['pin-sha256="drtmcR2kFkM8qJClsuWgUzxgBkePfRCkRpqUesyDmeE="'],
    });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
