import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "demo",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Each test spawns the CLI, and the default run waits out a 1 s rate limit.
    testTimeout: 60_000,
  },
});
