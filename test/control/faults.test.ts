import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { providers } from '../../src/providers/index.js';
import { testApp } from '../helpers.js';

const KEY = 'mc-demo-key';
const LIST = '/api/v1/services/stackpath/test-area/images';

let t: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => {
  vi.useRealTimers();
});

const addFault = (rule: unknown) =>
  request(t.app)
    .post('/__admin/faults')
    .send(rule as object);
const list = () => request(t.app).get(LIST).set('MC-Api-Key', KEY);

describe('fault rules over /__admin/faults', () => {
  it('forces a status for the next n matching requests, in the provider error format', async () => {
    const added = await addFault({
      provider: 'cloudmc',
      method: 'GET',
      path: '/api/v1/services/*/*/images',
      status: 503,
      times: 2,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      id: 'fault-1',
      status: 503,
      times: 2,
      hits: 0,
      active: true,
      expiresAt: null,
    });

    const first = await list();
    expect(first.status).toBe(503);
    expect(first.headers['content-type']).toBe('application/json');
    expect(t.ctx.validator.check('cloudmc/error', first.body)).toBeNull();
    expect(first.body.errors[0].message).toBe('Service Unavailable');
    expect(first.text).toContain('\n  "errors"'); // CloudMC's own two-space JSON
    expect((await list()).status).toBe(503);
    expect((await list()).status).toBe(200);

    const faults = (await request(t.app).get('/__admin/faults')).body.faults;
    expect(faults).toEqual([expect.objectContaining({ id: 'fault-1', hits: 2, active: false })]);
    const journal = (await request(t.app).get('/__admin/journal')).body.entries;
    expect(journal.map((e: { status: number; fault: string | null }) => [e.status, e.fault])).toEqual([
      [503, 'fault-1: status=503'],
      [503, 'fault-1: status=503'],
      [200, null],
    ]);
  });

  it('does not touch requests the rule does not match', async () => {
    await addFault({ provider: 'cloudmc', method: 'DELETE', status: 500 });
    await addFault({ path: '/api/v2/**', status: 500 });
    expect((await list()).status).toBe(200);
  });

  it('answers 429 with Retry-After', async () => {
    await addFault({ retryAfter: 30, message: 'Slow down.' });
    const res = await list();
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.body.errors[0].message).toBe('Slow down.');
  });

  it('lasts for a time window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const added = await addFault({ status: 502, durationMs: 60_000 });
    expect(added.body.expiresAt).toBe('2030-01-01T00:01:00.000Z');
    expect((await list()).status).toBe(502);
    vi.setSystemTime(new Date('2030-01-01T00:01:00Z'));
    expect((await list()).status).toBe(200);
    expect((await request(t.app).get('/__admin/faults/fault-1')).body.active).toBe(false);
  });

  it('hits with a seeded probability: the same seed gives the same sequence', async () => {
    const run = async () => {
      const app = await testApp();
      await request(app.app).post('/__admin/faults').send({ status: 500, probability: 0.5, seed: 1234 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) {
        statuses.push((await request(app.app).get(LIST).set('MC-Api-Key', KEY)).status);
      }
      return statuses;
    };
    const a = await run();
    expect(a).toContain(500);
    expect(a).toContain(200);
    expect(await run()).toEqual(a);
  });

  it('lists, removes one, clears all', async () => {
    await addFault({ status: 500 });
    await addFault({ latency: { min: 1, max: 5 } });
    expect(
      (await request(t.app).get('/__admin/faults')).body.faults.map((f: { id: string }) => f.id),
    ).toEqual(['fault-1', 'fault-2']);
    expect((await request(t.app).delete('/__admin/faults/fault-1')).status).toBe(204);
    expect((await request(t.app).delete('/__admin/faults/fault-1')).status).toBe(404);
    expect((await request(t.app).get('/__admin/faults')).body.faults).toHaveLength(1);
    expect((await request(t.app).delete('/__admin/faults')).status).toBe(204);
    expect((await request(t.app).get('/__admin/faults')).body.faults).toEqual([]);
  });

  it('adds several rules at once', async () => {
    const res = await addFault([
      { status: 500, method: 'POST' },
      { drop: true, method: 'PUT' },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.faults.map((f: { id: string }) => f.id)).toEqual(['fault-1', 'fault-2']);
  });

  it('refuses bad rules with a message naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'say what the fault does'],
      [{ status: 200 }, 'status'],
      [{ status: 500, provider: 'nobody' }, 'provider'],
      [{ status: 500, path: 'no-slash' }, 'path'],
      [{ status: 500, times: 0 }, 'times'],
      [{ status: 500, probability: 2 }, 'probability'],
      [{ drop: true, status: 500 }, 'drop'],
      [{ latency: { min: 5, max: 1 } }, 'latency'],
      [{ throttle: -3 }, 'throttle'],
      [{ status: 500, colour: 'red' }, 'colour'],
      [{ message: 'x' }, 'message'],
    ];
    for (const [rule, word] of cases) {
      const res = await addFault(rule);
      expect(res.status, JSON.stringify(rule)).toBe(400);
      expect(res.body.error, JSON.stringify(rule)).toContain(word);
    }
    const malformed = await request(t.app)
      .post('/__admin/faults')
      .set('Content-Type', 'application/json')
      .send('{');
    expect(malformed.status).toBe(400);
    const notObject = await request(t.app)
      .post('/__admin/faults')
      .set('Content-Type', 'application/json')
      .send('"text"');
    expect(notObject.status).toBe(400);
    expect(notObject.body.error).toContain('JSON object');
  });
});

describe('X-Mock-Fault header', () => {
  it('forces a status for this request only', async () => {
    const res = await request(t.app).get(LIST).set('MC-Api-Key', KEY).set('X-Mock-Fault', 'status=503');
    expect(res.status).toBe(503);
    expect(res.body.errors[0].message).toBe('Service Unavailable');
    expect((await list()).status).toBe(200);
  });

  it('combines settings and applies before authentication, like an outage in front of the service', async () => {
    const res = await request(t.app).get(LIST).set('X-Mock-Fault', 'latency=1; retry-after=5; message=Busy');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.errors[0].message).toBe('Busy');
    const [entry] = (await request(t.app).get('/__admin/journal')).body.entries;
    expect(entry.fault).toBe('header: latency=1; status=429; retry-after=5');
  });

  it('answers a bad header with a 400 in the provider format that says what is wrong', async () => {
    const res = await request(t.app).get(LIST).set('X-Mock-Fault', 'status=abc');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toContain('X-Mock-Fault: status needs a whole number');
    const unknown = await request(t.app).get(LIST).set('X-Mock-Fault', 'explode');
    expect(unknown.body.errors[0].message).toContain("unknown setting 'explode'");
    for (const builtIn of ['constructor', '__proto__', 'toString'])
      for (const setting of [builtIn, `${builtIn}=5`]) {
        const res = await request(t.app).get(LIST).set('X-Mock-Fault', setting);
        expect(res.status, setting).toBe(400);
        expect(res.body.errors[0].message, setting).toContain(`unknown setting '${builtIn.toLowerCase()}'`);
      }
  });

  it('reaches every mounted provider through its own router', async () => {
    for (const provider of providers) {
      const path = `${provider.mountPaths[0]}/mock-fault-probe`;
      const res = await request(t.app).get(path).set('X-Mock-Fault', 'status=507');
      expect(res.status, provider.name).toBe(507);
      expect(res.headers['x-mock-error'], provider.name).toBeUndefined();
    }
    const entries = (await request(t.app).get('/__admin/journal')).body.entries;
    expect(entries.map((e: { provider: string }) => e.provider)).toEqual(providers.map((p) => p.name));
  });
});
