import { UsageError } from "./usage-error.js";

/**
 * Commander argument parser of a repeatable option: appends each value to the list. The option
 * has no default, so that help shows none, and is `undefined` when not given.
 */
export function collectValues(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses the JSON value of `flag`; throws `UsageError` naming the flag when it is not JSON. */
export function parseJsonOption(flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Invalid ${flag}: it is not JSON (${reason}).`);
  }
}
