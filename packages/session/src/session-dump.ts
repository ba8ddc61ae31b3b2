/**
 * The session dump: the JSON object that `Session.dump()` returns and `Session.load()` reads.
 *
 * It has the shape of `Session.dump()` in Proton's Python client (`proton/api.py` in
 * proton-python-client), so a dump written by either client loads in the other:
 * `{"api_url", "appversion", "User-Agent", "cookies", "session_data": {"UID", "AccessToken",
 * "RefreshToken", "PasswordMode", "Scope"}}`. This package adds `format_version`, which the
 * Python client ignores. Fields this package does not know are kept and written back.
 */
import { InvalidSessionDumpError } from "./invalid-session-dump-error.js";

/** The dump format this package writes. A dump without `format_version` is read as format 1. */
export const SESSION_DUMP_FORMAT_VERSION = 1;

/** The `session_data` object of a dump. Empty when the session is not logged in. */
export interface SessionData {
  UID?: string;
  AccessToken?: string;
  RefreshToken?: string;
  /** 1: one password; 2: a separate mailbox password. */
  PasswordMode?: number;
  Scope?: string[];
  [field: string]: unknown;
}

/** A session dump, compatible with Proton's Python client. It contains the session's tokens. */
export interface SessionDump {
  api_url: string;
  appversion: string;
  "User-Agent": string;
  cookies: Record<string, string>;
  session_data: SessionData;
  format_version?: number;
  [field: string]: unknown;
}

/** The tokens of a logged-in session. */
export interface SessionTokens {
  readonly uid: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly scopes: readonly string[];
  readonly passwordMode: number | undefined;
}

/** A validated dump, split into what the session uses and what it only keeps. */
export interface ParsedSessionDump {
  readonly apiUrl: string;
  readonly appVersion: string;
  readonly userAgent: string;
  readonly cookies: Readonly<Record<string, string>>;
  readonly tokens: SessionTokens | undefined;
  /** Top-level fields this package does not read. */
  readonly extraFields: Readonly<Record<string, unknown>>;
  /** `session_data` fields this package does not read. */
  readonly extraSessionData: Readonly<Record<string, unknown>>;
}

const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  "api_url",
  "appversion",
  "User-Agent",
  "cookies",
  "session_data",
  "format_version",
]);

const KNOWN_SESSION_DATA: ReadonlySet<string> = new Set([
  "UID",
  "AccessToken",
  "RefreshToken",
  "PasswordMode",
  "Scope",
]);

/**
 * Validates a dump, given as an object or as its JSON text, and throws
 * `InvalidSessionDumpError` naming the first field that is wrong.
 */
export function parseSessionDump(input: unknown): ParsedSessionDump {
  const dump = typeof input === "string" ? parseJson(input) : input;
  if (!isRecord(dump)) {
    throw invalid("", `it is ${describeType(dump)}, not an object`);
  }

  const formatVersion = dump["format_version"];
  if (formatVersion !== undefined) {
    if (!Number.isInteger(formatVersion) || (formatVersion as number) < 1) {
      throw invalid("format_version", "it is not a positive whole number");
    }
    if ((formatVersion as number) > SESSION_DUMP_FORMAT_VERSION) {
      throw new InvalidSessionDumpError(
        `Cannot load the session dump: it has format_version ${formatVersion}, and this version of @proton/session reads up to ${SESSION_DUMP_FORMAT_VERSION}. Update @proton/session or log in again.`,
        { field: "format_version" },
      );
    }
  }

  const apiUrl = requireString(dump, "api_url");
  if (!/^https?:\/\/[^/]/i.test(apiUrl)) {
    throw invalid("api_url", "it is not an http or https URL");
  }
  const appVersion = requireHeaderText(dump, "appversion");
  const userAgent = requireHeaderText(dump, "User-Agent");
  const cookies = readCookies(dump["cookies"]);

  const sessionData = dump["session_data"];
  if (!isRecord(sessionData)) {
    throw invalid("session_data", `it is ${describeType(sessionData)}, not an object`);
  }

  return {
    apiUrl,
    appVersion,
    userAgent,
    cookies,
    tokens: readTokens(sessionData),
    extraFields: pickUnknown(dump, KNOWN_FIELDS),
    extraSessionData: pickUnknown(sessionData, KNOWN_SESSION_DATA),
  };
}

/** Builds a dump. Kept unknown fields come first, so a known field always has its current value. */
export function serializeSessionDump(state: ParsedSessionDump): SessionDump {
  const sessionData: SessionData = structuredClone({ ...state.extraSessionData });
  if (state.tokens !== undefined) {
    sessionData.UID = state.tokens.uid;
    sessionData.AccessToken = state.tokens.accessToken;
    sessionData.RefreshToken = state.tokens.refreshToken;
    if (state.tokens.passwordMode !== undefined) {
      sessionData.PasswordMode = state.tokens.passwordMode;
    }
    sessionData.Scope = [...state.tokens.scopes];
  }

  return {
    ...structuredClone({ ...state.extraFields }),
    api_url: state.apiUrl,
    appversion: state.appVersion,
    "User-Agent": state.userAgent,
    cookies: { ...state.cookies },
    session_data: sessionData,
    format_version: SESSION_DUMP_FORMAT_VERSION,
  };
}

function readTokens(data: Record<string, unknown>): SessionTokens | undefined {
  const hasAny = ["UID", "AccessToken", "RefreshToken"].some((name) => data[name] !== undefined);
  if (!hasAny) {
    return undefined;
  }

  const uid = requireToken(data, "UID");
  const accessToken = requireToken(data, "AccessToken");
  const refreshToken = requireToken(data, "RefreshToken");

  const passwordMode = data["PasswordMode"];
  if (passwordMode !== undefined && passwordMode !== null && !Number.isInteger(passwordMode)) {
    throw invalid("session_data.PasswordMode", "it is not a whole number");
  }

  return {
    uid,
    accessToken,
    refreshToken,
    scopes: readScope(data["Scope"]),
    passwordMode: typeof passwordMode === "number" ? passwordMode : undefined,
  };
}

/**
 * Reads `Scope`: a list of scope names, or a space-separated string, which the Python client
 * stores after `provide_2fa`.
 */
function readScope(scope: unknown): readonly string[] {
  if (scope === undefined || scope === null) {
    return [];
  }
  if (typeof scope === "string") {
    return scope.split(/\s+/).filter((name) => name !== "");
  }
  if (Array.isArray(scope) && scope.every((name) => typeof name === "string")) {
    return [...scope];
  }
  throw invalid("session_data.Scope", "it is neither a list of strings nor a string");
}

function readCookies(cookies: unknown): Record<string, string> {
  if (cookies === undefined || cookies === null) {
    return {};
  }
  if (!isRecord(cookies)) {
    throw invalid("cookies", `it is ${describeType(cookies)}, not an object`);
  }
  for (const [name, value] of Object.entries(cookies)) {
    if (typeof value !== "string") {
      throw invalid(`cookies.${name}`, `it is ${describeType(value)}, not a string`);
    }
  }
  return { ...(cookies as Record<string, string>) };
}

function requireString(record: Record<string, unknown>, name: string, prefix = ""): string {
  const value = record[name];
  if (value === undefined) {
    throw invalid(prefix + name, "the field is missing");
  }
  if (typeof value !== "string" || value === "") {
    throw invalid(prefix + name, `it is ${describeType(value)}, not a non-empty string`);
  }
  return value;
}

/** Visible ASCII without spaces: what a token in `x-pm-uid` or `Authorization` may contain. */
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/** Visible ASCII and spaces: what a header value such as `User-Agent` may contain. */
const HEADER_TEXT_PATTERN = /^[\x20-\x7e]+$/;

/** Reads a `session_data` token, which the session sends in a request header. */
function requireToken(data: Record<string, unknown>, name: string): string {
  const value = requireString(data, name, "session_data.");
  if (!TOKEN_PATTERN.test(value)) {
    throw invalid(
      `session_data.${name}`,
      "it contains a character that cannot be sent in an HTTP header (only visible ASCII without spaces is allowed)",
    );
  }
  return value;
}

/** Reads a top-level field that the session sends as a header value. */
function requireHeaderText(record: Record<string, unknown>, name: string): string {
  const value = requireString(record, name);
  if (!HEADER_TEXT_PATTERN.test(value)) {
    throw invalid(
      name,
      "it contains a character that cannot be sent in an HTTP header (only visible ASCII and spaces are allowed)",
    );
  }
  return value;
}

function pickUnknown(
  record: Record<string, unknown>,
  known: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => !known.has(name)));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The SyntaxError is not kept as the cause: its message quotes the text, which contains tokens.
    throw new InvalidSessionDumpError(
      "Cannot load the session dump: it is not valid JSON. Pass the object or text that dump() returned.",
      { field: "" },
    );
  }
}

function invalid(field: string, problem: string): InvalidSessionDumpError {
  const where = field === "" ? "the dump" : `field "${field}"`;
  return new InvalidSessionDumpError(
    `Cannot load the session dump: ${where} is invalid because ${problem}. Pass a dump written by Session.dump() or by Proton's Python client, or log in again.`,
    { field },
  );
}

/** Names a value's type without showing the value, which may be a token. */
function describeType(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "an array";
  }
  if (value === "") {
    return "an empty string";
  }
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
