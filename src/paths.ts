import { fileURLToPath } from 'node:url';

// src/ and dist/ both sit one level below the package root, so this resolves
// the same whether the code runs from TypeScript sources or the build.
export const packageRoot = fileURLToPath(new URL('..', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('../fixtures', import.meta.url));
export const schemasDir = fileURLToPath(new URL('../schemas', import.meta.url));
