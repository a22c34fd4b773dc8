import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Three test files at once on two cores: the integration files spend much of their time
    // waiting (peers on loopback, the CLI's child processes), so a third one fills the gaps
    // (npm test: 4m07s with two, 3m07s with three, 3m16s with four, on the idle 2-core machine).
    maxWorkers: 3,
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" } },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          // The compiled program for the CLI tests (built when stale), and one migrated PGlite
          // database that every test node starts from (test/helpers/global-setup.ts).
          globalSetup: ["scripts/build.mjs", "test/helpers/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
