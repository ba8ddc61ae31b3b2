import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { getSrp, verifyServerProof } from "@proton/srp";
import type { FakeApi } from "../../src/index.js";

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed JSON body; undefined when the body is not JSON. */
  body: Record<string, unknown>;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Omit the x-pm-appversion header. */
  noAppVersion?: boolean;
  timeoutMs?: number;
}

/**
 * Sends one request to the fake API over real HTTP(S), trusting only its test CA, and returns
 * the status, headers and body.
 */
export function call(
  api: FakeApi,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse> {
  const url = new URL(path, api.url);
  const headers: Record<string, string> = { ...options.headers };
  if (options.noAppVersion !== true) {
    headers["x-pm-appversion"] ??= "Other";
  }
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
  }

  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method, headers, ca: api.ca, timeout: options.timeoutMs ?? 10_000, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Non-JSON bodies are checked through `text`.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`request timed out: ${method} ${path}`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** A logged-in session as the login helper returns it. */
export interface LoggedIn {
  uid: string;
  accessToken: string;
  refreshToken: string;
  response: ApiResponse;
  /** Headers of an authenticated request. */
  auth: Record<string, string>;
}

/**
 * Logs in with real SRP: info, proofs from @proton/srp, login, and a check of the server proof.
 * Returns the login response even when it is an error; `uid` and tokens are then empty.
 */
export async function login(
  api: FakeApi,
  username: string,
  password: string,
  options: { authVersion?: number; headers?: Record<string, string>; legacy?: boolean } = {},
): Promise<LoggedIn> {
  const prefix = options.legacy === true ? "/auth" : "/auth/v4";
  const info = await call(api, "POST", `${prefix}/info`, { body: { Username: username } });
  if (info.status !== 200) {
    throw new Error(`info failed with HTTP ${info.status}: ${info.text}`);
  }
  const proofs = await getSrp(
    info.body as never,
    { username, password },
    options.authVersion ?? (info.body["Version"] as number),
  );
  const body = {
    Username: username,
    ClientEphemeral: proofs.clientEphemeral,
    ClientProof: proofs.clientProof,
    SRPSession: info.body["SRPSession"],
  };
  const headers = options.headers === undefined ? {} : { headers: options.headers };
  const response = await call(api, "POST", prefix, { body, ...headers });
  if (
    response.status === 200 &&
    !verifyServerProof(proofs.expectedServerProof, response.body["ServerProof"])
  ) {
    throw new Error("server proof mismatch");
  }
  return loggedIn(response);
}

export function loggedIn(response: ApiResponse): LoggedIn {
  const uid = String(response.body["UID"] ?? "");
  const accessToken = String(response.body["AccessToken"] ?? "");
  return {
    uid,
    accessToken,
    refreshToken: String(response.body["RefreshToken"] ?? ""),
    response,
    auth: { authorization: `Bearer ${accessToken}`, "x-pm-uid": uid },
  };
}

/** Sends a JSON request to the control API over plain HTTP. */
export async function controlCall(
  api: FakeApi,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const response = await fetch(new URL(path, api.controlUrl), {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // HTML pages are checked through `text`.
  }
  return { status: response.status, body: parsed, text };
}
