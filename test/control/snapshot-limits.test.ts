import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, resolveConfig } from '../../src/config.js';
import { testApp } from '../helpers.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];

/** Snapshots live in memory: a count and a byte budget bound them, each with an answer that says how to make room. */
const save = (app: App, name: string) => request(app).put(`/__admin/snapshots/${name}`);

/** What one snapshot of the seeded store holds against the budget. */
async function seededSnapshotBytes(): Promise<number> {
  const { app } = await testApp();
  return (await save(app, 'probe').expect(201)).body.bytes as number;
}

describe('snapshot count', () => {
  it('by default 20 snapshots fit and the 21st is refused with 409 saying how to free one', async () => {
    expect(defaultConfig.maxSnapshots).toBe(20);
    const { app } = await testApp();
    for (let i = 0; i < 20; i++) await save(app, `s${i}`).expect(201);
    const refused = await save(app, 's20');
    expect(refused.status).toBe(409);
    expect(refused.type).toBe('application/json');
    expect(refused.body.error).toBe(
      'snapshot limit reached: 20 snapshots (--max-snapshots, MOCK_MAX_SNAPSHOTS); ' +
        'delete one (DELETE /__admin/snapshots/<name>) or raise the limit',
    );
    expect((await request(app).get('/__admin/snapshots')).body.snapshots).toHaveLength(20);
  });

  it('taking a name again replaces its snapshot, and a delete makes room', async () => {
    const { app } = await testApp({ maxSnapshots: 2 });
    await save(app, 'a').expect(201);
    await save(app, 'b').expect(201);
    await save(app, 'a').expect(201);
    expect((await save(app, 'c')).status).toBe(409);
    await request(app).delete('/__admin/snapshots/b').expect(204);
    await save(app, 'c').expect(201);
    const names = (await request(app).get('/__admin/snapshots')).body.snapshots.map(
      (s: { name: string }) => s.name,
    );
    expect(names).toEqual(['a', 'c']);
    await request(app).post('/__admin/snapshots/a/restore').expect(200);
  });

  it('a sandbox has its own count', async () => {
    const { app } = await testApp({ maxSnapshots: 1 });
    await save(app, 'main').expect(201);
    await request(app).post('/__admin/sandboxes').send({ id: 'own' }).expect(201);
    await request(app).put('/__sandbox/own/__admin/snapshots/one').expect(201);
    expect((await request(app).put('/__sandbox/own/__admin/snapshots/two')).status).toBe(409);
  });
});

describe('snapshot bytes', () => {
  it('each snapshot reports its bytes; one that would cross the budget is refused with 413', async () => {
    const one = await seededSnapshotBytes();
    expect(one).toBeGreaterThan(1_000);
    const budget = Math.floor(one * 2.5);
    const { app } = await testApp({ maxSnapshotBytes: budget });
    await save(app, 'a').expect(201);
    await save(app, 'b').expect(201);
    const refused = await save(app, 'c');
    expect(refused.status).toBe(413);
    expect(refused.body.error).toBe(
      `snapshot 'c' needs ${one} bytes and the other snapshots hold ${2 * one} of the ${budget}-byte budget ` +
        '(--max-snapshot-bytes, MOCK_MAX_SNAPSHOT_BYTES); delete one (DELETE /__admin/snapshots/<name>) or raise the budget',
    );
    // replacing a snapshot counts only the new copy
    await save(app, 'b').expect(201);
    const listed = (await request(app).get('/__admin/snapshots')).body.snapshots;
    expect(listed.map((s: { bytes: number }) => s.bytes)).toEqual([one, one]);
  });

  it('image data counts against the budget', async () => {
    const one = await seededSnapshotBytes();
    const data = Buffer.alloc(50_000, 7);
    const { app } = await testApp({ maxSnapshotBytes: one + data.length - 1 });
    await request(app)
      .put('/v2/images/c1a0b0c0-0000-4000-8000-000000000006/file')
      .set('X-Auth-Token', 'user-token')
      .set('Content-Type', 'application/octet-stream')
      .send(data)
      .expect(204);
    // the upload changed the image record too: its size and checksums
    const refused = await save(app, 'with-data');
    expect(refused.status).toBe(413);
    expect(refused.body.error).toMatch(/^snapshot 'with-data' needs (\d+) bytes/);
    const needed = Number(/needs (\d+) bytes/.exec(refused.body.error)![1]);
    expect(needed - one).toBeGreaterThanOrEqual(data.length);
    expect((await request(app).get('/__admin/snapshots')).body.snapshots).toEqual([]);
  });
});

describe('snapshot limit settings', () => {
  it('come from a flag or a variable, and a bad value names the variable', () => {
    expect(resolveConfig({ MOCK_MAX_SNAPSHOTS: '3', MOCK_MAX_SNAPSHOT_BYTES: '1000' })).toMatchObject({
      maxSnapshots: 3,
      maxSnapshotBytes: 1000,
    });
    expect(resolveConfig({ MOCK_MAX_SNAPSHOTS: '3' }, { maxSnapshots: '5' }).maxSnapshots).toBe(5);
    expect(() => resolveConfig({ MOCK_MAX_SNAPSHOT_BYTES: 'lots' })).toThrow(ConfigError);
    expect(() => resolveConfig({ MOCK_MAX_SNAPSHOTS: '-1' })).toThrow(/MOCK_MAX_SNAPSHOTS/);
  });
});
