import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/**
 * Compiles the CLI before the tests spawn it, so they never run a stale `dist/cli.js`. The
 * packages it imports (`@proton/api`, `@proton/fake-api`) must be built already, as
 * `pnpm test` and `pnpm --filter @proton/demo... build` do.
 */
export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: "inherit",
  });
}
