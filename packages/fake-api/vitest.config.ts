import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "fake-api",
    include: ["test/**/*.test.ts"],
  },
});
