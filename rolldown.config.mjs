// `npm run build`, last step: the command-line entry point (dist/main.js, what `npm start`, the bin and
// the Docker image run) as one file with its dependencies, because loading ~400 separate modules was most
// of the mock's start-up time (docs/performance.md). The library entry (dist/index.js) stays as tsc wrote it.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: 'dist/main.js',
  platform: 'node',
  // loaded at run time, and only when needed: beside the bundle they resolve from node_modules as before
  // (faker only seeds what the build's seed snapshot does not hold: src/store/seed-snapshot.ts)
  external: ['ajv', 'ajv-formats', 'pino-http', 'pino-pretty', /precompiled\.cjs$/, /^@faker-js\//],
  output: { file: 'dist/main.js', format: 'esm', codeSplitting: false, sourcemap: true },
});
