import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // every logged store write is replayed and compared with the live data
    env: { MOCK_STORE_CHECK_LOG: '1' },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
