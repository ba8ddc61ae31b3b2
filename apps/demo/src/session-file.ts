import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, win32 } from "node:path";
import { NotLoggedInError } from "./not-logged-in-error.js";
import { UsageError } from "./usage-error.js";

/** File name of the session inside the config folder. */
const SESSION_FILE_NAME = "session.json";

/** Folder name inside the platform's config directory. */
const CONFIG_FOLDER_NAME = "proton-ts";

/**
 * Returns the default session file path in the user's config directory:
 * `$XDG_CONFIG_HOME/proton-ts/session.json` (or `~/.config/...`) on Linux and other Unix
 * systems, `~/Library/Application Support/proton-ts/session.json` on macOS and
 * `%APPDATA%\proton-ts\session.json` on Windows.
 */
export function defaultSessionFilePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === "win32") {
    const appData = env["APPDATA"] || win32.join(home, "AppData", "Roaming");
    return win32.join(appData, CONFIG_FOLDER_NAME, SESSION_FILE_NAME);
  }
  if (platform === "darwin") {
    return join(home, "Library", "Application Support", CONFIG_FOLDER_NAME, SESSION_FILE_NAME);
  }
  // The XDG Base Directory specification ignores a relative XDG_CONFIG_HOME.
  const xdg = env["XDG_CONFIG_HOME"];
  const configHome = xdg?.startsWith("/") ? xdg : join(home, ".config");
  return join(configHome, CONFIG_FOLDER_NAME, SESSION_FILE_NAME);
}

/**
 * Writes `contents` to `path` atomically: a temporary file with mode 0600 in the same folder,
 * flushed to disk, then renamed over `path`. A reader sees the old file or the new one, never
 * a partial one. The folder is created with mode 0700 when missing.
 */
export async function writeFileAtomic(path: string, contents: string): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true, mode: 0o700 });

  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", 0o600);
  try {
    try {
      await handle.writeFile(contents, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Writes a session dump to `path` atomically, as indented JSON. */
export async function writeSessionFile(path: string, dump: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(dump, null, 2)}\n`);
}

/**
 * Reads the session file as parsed JSON. Throws `NotLoggedInError` when the file is missing or
 * is not JSON.
 */
export async function readSessionFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isNodeError(error, "ENOENT")) {
      throw new NotLoggedInError(
        `Not logged in: there is no session file at ${path}. Run login first.`,
      );
    }
    if (isNodeError(error, "EISDIR")) {
      throw new UsageError(`Invalid --session-file ${path}: it is a directory. Pass a file path.`);
    }
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new NotLoggedInError(
      `Invalid session file ${path}: it is not JSON. Run login again to replace it.`,
    );
  }
}

/** Deletes the session file; a missing file is not an error. */
export async function removeSessionFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Returns the permission bits of a file, such as 0o600. */
export async function fileMode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

/**
 * Flushes the folder entry so the rename survives a crash. Windows cannot open a folder for
 * syncing, so it is skipped there.
 */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === "win32") {
    return;
  }
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isNodeError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
