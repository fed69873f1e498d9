/**
 * `npm run build` runs this after tsc: every provider's section seeded with
 * the default seed, into dist/store/seeds.json (see seed-snapshot.ts).
 */
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../config.js';
import { fixturesDir } from '../paths.js';
import { providers } from '../providers/index.js';
import { writeSeedSnapshot } from './seed-snapshot.js';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeSeedSnapshot(
    providers.map((p) => p.store),
    fixturesDir,
    defaultConfig.seed,
  );
}
