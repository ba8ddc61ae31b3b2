import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "pinning",
    include: ["test/**/*.test.ts"],
  },
});
