import { readFile } from "node:fs/promises";
import { FakeApiInputError } from "./fake-api-input-error.js";
import { decodeBase32 } from "./totp.js";
import type { FakeUserInput } from "./types.js";

const AUTH_VERSIONS: ReadonlySet<unknown> = new Set([0, 1, 2, 3, 4]);
const PASSWORD_MODES: ReadonlySet<unknown> = new Set([1, 2]);
const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  "username",
  "password",
  "authVersion",
  "totpSecret",
  "securityKey",
  "humanVerification",
  "passwordMode",
  "displayName",
  "email",
]);

/**
 * Checks one user description and returns a copy with only the known fields. Throws
 * `FakeApiInputError` naming the field (prefixed by `where`, such as "users[2]") and the fix.
 */
export function validateUserInput(value: unknown, where = "user"): FakeUserInput {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FakeApiInputError(where, "expected an object with username and password.");
  }
  const fields = value as Record<string, unknown>;
  for (const name of Object.keys(fields)) {
    if (!KNOWN_FIELDS.has(name)) {
      throw new FakeApiInputError(
        `${where}.${name}`,
        `unknown field; known fields are ${[...KNOWN_FIELDS].join(", ")}.`,
      );
    }
  }

  const username = fields["username"];
  if (typeof username !== "string" || username === "" || /\s/.test(username)) {
    throw new FakeApiInputError(`${where}.username`, "expected a non-empty string without spaces.");
  }
  const password = fields["password"];
  if (typeof password !== "string" || password === "") {
    throw new FakeApiInputError(`${where}.password`, "expected a non-empty string.");
  }
  const user: FakeUserInput = { username, password };

  if (fields["authVersion"] !== undefined) {
    if (!AUTH_VERSIONS.has(fields["authVersion"])) {
      throw new FakeApiInputError(`${where}.authVersion`, "expected 0, 1, 2, 3 or 4.");
    }
    user.authVersion = fields["authVersion"] as 0 | 1 | 2 | 3 | 4;
  }
  if (fields["totpSecret"] !== undefined) {
    const secret = fields["totpSecret"];
    if (typeof secret !== "string") {
      throw new FakeApiInputError(`${where}.totpSecret`, "expected a base32 string.");
    }
    decodeBase32(secret);
    user.totpSecret = secret;
  }
  for (const flag of ["securityKey", "humanVerification"] as const) {
    if (fields[flag] !== undefined) {
      if (typeof fields[flag] !== "boolean") {
        throw new FakeApiInputError(`${where}.${flag}`, "expected true or false.");
      }
      user[flag] = fields[flag];
    }
  }
  if (fields["passwordMode"] !== undefined) {
    if (!PASSWORD_MODES.has(fields["passwordMode"])) {
      throw new FakeApiInputError(`${where}.passwordMode`, "expected 1 or 2.");
    }
    user.passwordMode = fields["passwordMode"] as 1 | 2;
  }
  if (fields["displayName"] !== undefined) {
    if (typeof fields["displayName"] !== "string") {
      throw new FakeApiInputError(`${where}.displayName`, "expected a string.");
    }
    user.displayName = fields["displayName"];
  }
  if (fields["email"] !== undefined) {
    const email = fields["email"];
    if (typeof email !== "string" || !/^[^\s@]+@[^\s@]+$/.test(email)) {
      throw new FakeApiInputError(`${where}.email`, "expected an address such as name@proton.me.");
    }
    user.email = email;
  }
  return user;
}

/**
 * Reads a users file: a JSON array of users, or an object with a `users` array. Throws
 * `FakeApiInputError` when the file cannot be read or a user is invalid.
 */
export async function readUsersFile(path: string): Promise<FakeUserInput[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FakeApiInputError("users file", `cannot read ${path}.`, { cause: error });
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FakeApiInputError("users file", `${path} is not valid JSON.`, { cause: error });
  }

  const list =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)["users"]
      : parsed;
  if (!Array.isArray(list)) {
    throw new FakeApiInputError(
      "users file",
      `${path} must contain an array of users or an object with a "users" array.`,
    );
  }
  return list.map((user, index) => validateUserInput(user, `users[${index}]`));
}
