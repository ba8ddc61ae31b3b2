import type { Session, SessionDump, TokenChange } from "@proton/api";
import { checkApiUrl, loadSession } from "./connect.js";
import { type ConnectionFlags, readCaFile, sessionFilePath } from "./connection-flags.js";
import { NotLoggedInError } from "./not-logged-in-error.js";
import { readSessionFile, removeSessionFile, writeSessionFile } from "./session-file.js";
import { createStderrLogger } from "./stderr-logger.js";

/**
 * Top-level field of the session file with the pins and CA file given at login, so later
 * commands reach the same server without repeating them. `Session.load` keeps unknown fields
 * and Proton's Python client ignores them.
 */
const SETTINGS_FIELD = "proton_ts_demo";

/** The connection settings stored next to the session dump. */
export interface StoredSettings {
  readonly pins: readonly string[];
  readonly caFile: string | undefined;
}

/** Returns the dump with the connection settings added, ready to write to the session file. */
export function addStoredSettings(dump: SessionDump, settings: StoredSettings): SessionDump {
  return {
    ...dump,
    [SETTINGS_FIELD]: {
      pins: [...settings.pins],
      ...(settings.caFile === undefined ? {} : { ca_file: settings.caFile }),
    },
  };
}

/** A session restored from the session file; changes to its tokens are written back. */
export interface StoredSession {
  /** The restored session; call `close()` when done. */
  readonly session: Session;
  readonly path: string;
  /**
   * Throws the first error met while writing or removing the session file after a token change.
   * The session only logs such errors, so commands call this before they report success.
   */
  checkPersisted(): void;
}

/**
 * Opens the session saved by `login`. `--pin` and `--ca-file` override the stored settings.
 * Throws `NotLoggedInError` when there is no session file or it has no tokens.
 */
export async function openStoredSession(flags: ConnectionFlags): Promise<StoredSession> {
  const path = sessionFilePath(flags);
  const dump = await readSessionFile(path);
  const stored = readStoredSettings(dump);
  const pins = flags.pin ?? stored.pins;
  const caFile = flags.caFile ?? stored.caFile;

  const apiUrl = isRecord(dump) ? dump["api_url"] : undefined;
  if (typeof apiUrl === "string") {
    checkApiUrl(apiUrl, pins);
  }

  let persistError: unknown;
  const persistChange = createSessionFilePersister(path, dump);
  const persist = async (change: TokenChange): Promise<void> => {
    try {
      await persistChange(change);
    } catch (error) {
      persistError ??= error;
      throw error;
    }
  };

  const session = loadSession(dump, {
    pins,
    ...(caFile === undefined ? {} : { ca: await readCaFile(caFile) }),
    ...(flags.verbose === true ? { logger: createStderrLogger() } : {}),
    onTokenChange: persist,
    // Another demo process may have refreshed this session first and rotated its refresh
    // token. The session then adopts the tokens in the file instead of deleting it.
    reloadDump: () => readSessionFile(path),
  });
  if (!session.isAuthenticated) {
    await session.close();
    throw new NotLoggedInError(`Not logged in: the session file ${path} has no tokens. Run login.`);
  }

  return {
    session,
    path,
    checkPersisted() {
      if (persistError !== undefined) {
        const reason = persistError instanceof Error ? persistError.message : String(persistError);
        throw new Error(`Failed to update the session file ${path}: ${reason}`);
      }
    },
  };
}

/**
 * Creates the `onTokenChange` callback that keeps the session file at `path` in step with a
 * session loaded from `loadedDump`: it writes each new dump and removes the file on logout. On
 * expiry it removes the file only while the file still contains the refresh token this process
 * held, because another process may have refreshed the session and stored newer tokens there.
 */
export function createSessionFilePersister(
  path: string,
  loadedDump: unknown,
): (change: TokenChange) => Promise<void> {
  let heldRefreshToken = readRefreshToken(loadedDump);

  return async (change) => {
    if (change.reason === "logout") {
      await removeSessionFile(path);
    } else if (change.reason === "expired") {
      const stored = await readSessionFile(path).catch(() => undefined);
      if (readRefreshToken(stored) === heldRefreshToken) {
        await removeSessionFile(path);
      }
    } else {
      await writeSessionFile(path, change.dump);
    }
    heldRefreshToken = change.refreshToken;
  };
}

function readRefreshToken(dump: unknown): string | undefined {
  const sessionData = isRecord(dump) ? dump["session_data"] : undefined;
  const token = isRecord(sessionData) ? sessionData["RefreshToken"] : undefined;
  return typeof token === "string" ? token : undefined;
}

function readStoredSettings(dump: unknown): StoredSettings {
  const settings = isRecord(dump) ? dump[SETTINGS_FIELD] : undefined;
  if (!isRecord(settings)) {
    return { pins: [], caFile: undefined };
  }
  const pins = Array.isArray(settings["pins"])
    ? settings["pins"].filter((pin): pin is string => typeof pin === "string")
    : [];
  const caFile = typeof settings["ca_file"] === "string" ? settings["ca_file"] : undefined;
  return { pins, caFile };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
