import { defineConfig } from "vitest/config";

export const config = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores here: more workers only thrash.
    maxWorkers: 2,
  },
});

// vitest reads the default export; the rest of the codebase uses named exports only.
export default config;
