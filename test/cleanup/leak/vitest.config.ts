import { defineConfig } from 'vitest/config';

// A run that leaves a temporary directory behind, for ../tmpdir-check.test.ts.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.example.ts'],
    globalSetup: ['../../global-setup.ts'],
  },
});
