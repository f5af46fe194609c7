import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Prints once whether the Postgres suites run (and fails in CI when they can't).
    globalSetup: ["test/support/postgres-setup.ts"],
  },
});
