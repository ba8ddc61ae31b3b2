import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "srp",
    include: ["test/**/*.test.ts"],
  },
});
