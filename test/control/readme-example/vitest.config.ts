import { defineConfig } from 'vitest/config';

// The README's vitest set-up, run for real by ../readme-example.test.ts.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.example.ts'],
    globalSetup: ['global-setup.ts'],
  },
});
