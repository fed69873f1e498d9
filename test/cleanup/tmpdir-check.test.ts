import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { startMockServer } from '../../src/index.js';

const root = path.resolve(import.meta.dirname, '../..');

it('fails a run that leaves an image-api-mocks-* directory in TMPDIR, and removes it', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'iam-test-'));
  try {
    const run = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'test/cleanup/leak/vitest.config.ts',
      ],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, TMPDIR: tmp, CI: 'true', NO_COLOR: '1' },
      },
    );
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(1);
    expect(output).toMatch(/Tests\s+1 passed \(1\)/);
    expect(output).toMatch(
      /the suite left 1 temporary directory in TMPDIR \(removed now\): image-api-mocks-\w+/,
    );
    expect(readdirSync(tmp)).toEqual([]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

it('a closed server leaves nothing in TMPDIR, image data, snapshots and sandboxes included', async () => {
  // this worker's own TMPDIR, so test files running beside it cannot blur the count
  const outer = process.env.TMPDIR;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'iam-test-'));
  process.env.TMPDIR = tmp;
  try {
    const mock = await startMockServer();
    const token = { 'X-Auth-Token': 'admin-token' };
    const created = await fetch(`${mock.url}/v2/images`, {
      method: 'POST',
      headers: { ...token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'tmp-check', disk_format: 'raw', container_format: 'bare' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const upload = await fetch(`${mock.url}/v2/images/${id}/file`, {
      method: 'PUT',
      headers: { ...token, 'Content-Type': 'application/octet-stream' },
      body: 'some bytes',
    });
    expect(upload.status).toBe(204);
    await mock.snapshots.save('with-data');
    const sandbox = await mock.sandboxes.create();
    await sandbox.snapshots.save('empty');
    // the store's image data and the snapshot's copy of it; an in-memory store without image data makes none
    const made = readdirSync(tmp);
    expect(made).toHaveLength(2);
    expect(made).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^image-api-mocks-(?!snapshots-)/),
        expect.stringMatching(/^image-api-mocks-snapshots-/),
      ]),
    );
    await mock.close();
    expect(readdirSync(tmp)).toEqual([]);
  } finally {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    rmSync(tmp, { recursive: true, force: true });
  }
});
