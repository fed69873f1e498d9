import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What the mock and the tests name their temporary directories. */
const OURS = /^(image-api-mocks-|iam-)/;

/**
 * End-to-end and crash tests run the built server; rebuild when dist/ is
 * missing or older than src/. The run gets a private TMPDIR (workers and the
 * servers they spawn inherit it), and the teardown fails the run when it
 * still holds a temporary directory of the mock's or a test's.
 */
export default function setup(): () => void {
  const root = path.resolve(import.meta.dirname, '..');
  const built = path.join(root, 'dist', 'main.js');
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => statSync(path.join(e.parentPath, e.name)).mtimeMs),
    );
  if (!existsSync(built) || statSync(built).mtimeMs < newest(path.join(root, 'src'))) {
    // the whole build: tsc, the precompiled validators and the bundled entry point
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  }

  const outer = process.env.TMPDIR;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'vitest-iam-run-'));
  process.env.TMPDIR = tmp;
  return () => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    const left = readdirSync(tmp).filter((name) => OURS.test(name));
    rmSync(tmp, { recursive: true, force: true });
    if (left.length > 0) {
      // vitest reports an error thrown here but keeps its exit code: set it too
      process.exitCode = 1;
      throw new Error(
        `the suite left ${left.length} temporary director${left.length === 1 ? 'y' : 'ies'} ` +
          `in TMPDIR (removed now): ${left.slice(0, 20).join(', ')}${left.length > 20 ? ', …' : ''}`,
      );
    }
  };
}
