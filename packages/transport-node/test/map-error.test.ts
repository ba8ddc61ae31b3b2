import { NetworkError, PinningError, TimeoutError } from "@proton/errors";
import { describe, expect, it } from "vitest";
import { mapTransportError } from "../src/map-error.js";

// Errors shaped as undici 7 and Node raise them, for the cases a loopback test cannot produce
// without reaching another host (DNS) or waiting minutes (undici's idle timeouts).
const context = {
  request: { method: "GET", url: "https://api.example.test/core/v4/users?token=s3cr3t" },
  connectTimeoutMs: 10_000,
};

function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("mapTransportError", () => {
  it("maps a DNS failure to NetworkError", () => {
    const cause = systemError("ENOTFOUND", "getaddrinfo ENOTFOUND api.example.test");

    const error = mapTransportError(cause, context) as NetworkError;

    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.errorCode).toBe("ENOTFOUND");
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      "Request to api.example.test failed: the hostname could not be resolved (DNS lookup failed).",
    );
    expect(error.request?.url).not.toContain("s3cr3t");
  });

  it("maps undici's headers timeout to TimeoutError", () => {
    const error = mapTransportError(
      systemError("UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error"),
      context,
    ) as TimeoutError;

    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.phase).toBe("response");
    expect(error.timeoutMs).toBe(300_000);
  });

  it("maps a connect timeout with the configured deadline", () => {
    const error = mapTransportError(
      systemError("UND_ERR_CONNECT_TIMEOUT", "Connect Timeout Error"),
      context,
    ) as TimeoutError;

    expect(error.phase).toBe("connect");
    expect(error.timeoutMs).toBe(10_000);
  });

  it("unwraps a proxy TLS error", () => {
    const inner = systemError("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match");
    const wrapped = Object.assign(new Error("TLS error through proxy", { cause: inner }), {
      code: "UND_ERR_PRX_TLS",
    });

    const error = mapTransportError(wrapped, context) as NetworkError;

    expect(error.errorCode).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(error.message).toContain("not valid for this hostname");
  });

  it("passes a PinningError through", () => {
    const pinning = new PinningError("mismatch", {
      host: "api.example.test",
      port: 443,
      servedPins: [],
      expectedPins: [],
    });

    expect(mapTransportError(pinning, context)).toBe(pinning);
  });

  it("keeps the message of an unknown error", () => {
    const error = mapTransportError(new Error("something odd"), context) as NetworkError;

    expect(error.message).toBe("Request to api.example.test failed: something odd.");
  });
});
