import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Resolves "@proton/api" from inside the package, under the given extra conditions. */
async function resolveEntry(conditions: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      ...conditions.map((condition) => `--conditions=${condition}`),
      "--input-type=module",
      "--eval",
      'console.log(import.meta.resolve("@proton/api"))',
    ],
    { cwd: packageDir },
  );
  return stdout.trim();
}

describe("package exports", () => {
  it("resolves Node.js to the node build", async () => {
    expect(await resolveEntry([])).toMatch(/\/dist\/index\.js$/);
  });

  it("resolves the browser condition to the fetch build", async () => {
    expect(await resolveEntry(["browser"])).toMatch(/\/dist\/browser\.js$/);
  });
});
