import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** End-to-end and crash tests run the built server; rebuild when dist/ is missing or older than src/. */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const built = path.join(root, 'dist', 'main.js');
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => statSync(path.join(e.parentPath, e.name)).mtimeMs),
    );
  if (existsSync(built) && statSync(built).mtimeMs >= newest(path.join(root, 'src'))) return;
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
