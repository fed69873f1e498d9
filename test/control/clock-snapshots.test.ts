import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

let t: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  t = await testApp();
});

const clock = (action: string, body?: object) => request(t.app).post(`/__admin/clock/${action}`).send(body);

describe('/__admin/clock', () => {
  it('freezes at an instant, advances, sets, and the mock timestamps follow', async () => {
    expect((await clock('freeze', { at: '2030-01-02T03:04:05.678Z' })).body).toEqual({
      now: '2030-01-02T03:04:05.678Z',
      frozen: true,
    });
    expect((await clock('advance', { seconds: 60 })).body.now).toBe('2030-01-02T03:05:05.678Z');
    expect((await clock('advance', { ms: -678 })).body.now).toBe('2030-01-02T03:05:05.000Z');
    const inserted = await request(t.app)
      .post('/__admin/store/cloudmc/images')
      .send({ serviceCode: 'cox', family: 'clocked', tag: 'v1' });
    expect(inserted.body.records[0].createdAt).toBe('2030-01-02T03:05:05.000000Z');
    expect((await clock('set', { at: 1_000 })).body).toEqual({
      now: '1970-01-01T00:00:01.000Z',
      frozen: true,
    });
    expect((await request(t.app).get('/__admin/clock')).body.now).toBe('1970-01-01T00:00:01.000Z');
  });

  it('releases back to real time', async () => {
    await clock('freeze', { at: '2001-01-01T00:00:00Z' });
    const released = await clock('release');
    expect(released.body.frozen).toBe(false);
    expect(Math.abs(Date.parse(released.body.now) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses bad input with a message that names the field', async () => {
    const cases: [string, object | undefined, string][] = [
      ['freeze', { at: 'tomorrow' }, 'at'],
      ['freeze', { at: '2030-01-02T03:04:05' }, 'zone'],
      ['set', {}, 'at'],
      ['advance', {}, 'exactly one of ms or seconds'],
      ['advance', { ms: 'x' }, 'number'],
      ['advance', { ms: 1, seconds: 1 }, 'exactly one'],
      ['release', { at: 1 }, "unknown field 'at'"],
      ['rewind', {}, "no action 'rewind'"],
    ];
    for (const [action, body, word] of cases) {
      const res = await clock(action, body);
      expect(res.status, `${action} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error).toContain(word);
    }
  });
});

describe('/__admin/snapshots', () => {
  const images = async () => (await request(t.app).get('/__admin/store/cloudmc/images')).body.records;

  it('saves the store under a name and restores it, as often as needed', async () => {
    const before = await images();
    const saved = await request(t.app).put('/__admin/snapshots/clean');
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ name: 'clean', records: { cloudmc: expect.any(Number) } });
    for (let round = 0; round < 2; round++) {
      await request(t.app)
        .post('/__admin/store/cloudmc/images')
        .send({ serviceCode: 'cox', family: 'temp', tag: `v${round}` })
        .expect(201);
      expect(await images()).toHaveLength(before.length + 1);
      expect((await request(t.app).post('/__admin/snapshots/clean/restore')).status).toBe(200);
      expect(await images()).toEqual(before);
    }
  });

  it('lists and deletes snapshots', async () => {
    await request(t.app).put('/__admin/snapshots/a');
    await request(t.app).put('/__admin/snapshots/b');
    const listed = (await request(t.app).get('/__admin/snapshots')).body.snapshots;
    expect(listed.map((s: { name: string }) => s.name)).toEqual(['a', 'b']);
    expect((await request(t.app).delete('/__admin/snapshots/a')).status).toBe(204);
    expect((await request(t.app).delete('/__admin/snapshots/a')).status).toBe(404);
    expect((await request(t.app).post('/__admin/snapshots/a/restore')).status).toBe(404);
    expect((await request(t.app).get('/__admin/snapshots')).body.snapshots).toHaveLength(1);
  });

  it('refuses a bad name', async () => {
    const res = await request(t.app).put('/__admin/snapshots/.hidden');
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('snapshot name');
  });
});

describe('/__admin/reset with all', () => {
  it('also clears the journal and faults and releases the clock', async () => {
    await clock('freeze', { at: '2030-01-01T00:00:00Z' });
    await request(t.app).post('/__admin/faults').send({ status: 500 });
    await request(t.app).get('/api/v1/services/stackpath/test-area/images');
    const res = await request(t.app).post('/__admin/reset').send({ all: true });
    expect(res.body).toMatchObject({ status: 'reset', all: true });
    expect((await request(t.app).get('/__admin/faults')).body.faults).toEqual([]);
    expect((await request(t.app).get('/__admin/journal')).body.entries).toEqual([]);
    expect((await request(t.app).get('/__admin/clock')).body.frozen).toBe(false);
  });

  it('keeps faults and journal without it', async () => {
    await request(t.app).post('/__admin/faults').send({ status: 500 });
    await request(t.app).post('/__admin/reset');
    expect((await request(t.app).get('/__admin/faults')).body.faults).toHaveLength(1);
  });
});
