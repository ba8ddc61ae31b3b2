import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiFailure, CODES } from "./api-failure.js";

/**
 * Reads the whole request body. Throws the error that `tooLarge` returns as soon as the body
 * exceeds `maxBytes`, without reading the rest.
 */
export async function readBody(
  request: IncomingMessage,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a request body as a JSON object; an empty body is an empty object. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ApiFailure(400, CODES.INVALID_VALUE, "Request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ApiFailure(400, CODES.INVALID_VALUE, "Request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

/** Sends a JSON response with its length, so keep-alive connections stay usable. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendText(response, status, JSON.stringify(body), "application/json; charset=utf-8", headers);
}

export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = Buffer.from(text, "utf8");
  response.writeHead(status, {
    ...headers,
    "content-type": contentType,
    "content-length": String(bytes.length),
    "cache-control": "no-store",
  });
  response.end(bytes);
}
