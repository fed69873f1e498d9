import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskBody, maskHeaders } from '../../src/control/masking.js';
import { methodMatcher, pathPattern, statusMatcher } from '../../src/control/pattern.js';
import { seededRandom } from '../../src/control/random.js';
import { testApp } from '../helpers.js';

describe('path patterns', () => {
  it('* stays within a segment, ** crosses segments, the rest is literal', () => {
    const one = pathPattern('/v2/images/*');
    expect(one('/v2/images/abc')).toBe(true);
    expect(one('/v2/images/abc/file')).toBe(false);
    expect(pathPattern('/v2/**')('/v2/images/abc/file')).toBe(true);
    expect(pathPattern('/a.b+c')('/a.b+c')).toBe(true);
    expect(pathPattern('/a.b+c')('/aXb+c')).toBe(false);
    expect(pathPattern('/api/v1/images/')('/api/v1/images')).toBe(false);
  });

  it('methods ignore case; statuses take an exact code or a class', () => {
    expect(methodMatcher(['get', 'POST'])('post')).toBe(true);
    expect(methodMatcher('GET')('DELETE')).toBe(false);
    expect(statusMatcher('4xx')(404)).toBe(true);
    expect(statusMatcher('4xx')(500)).toBe(false);
    expect(statusMatcher(503)(503)).toBe(true);
  });
});

describe('credential masking', () => {
  it('masks credential headers whatever their case, and nothing else', () => {
    expect(
      maskHeaders({ 'MC-Api-Key': 'k', 'X-Auth-Token': 't', Authorization: 'Token x', Accept: 'a' }),
    ).toEqual({
      'mc-api-key': '[masked]',
      'x-auth-token': '[masked]',
      authorization: '[masked]',
      accept: 'a',
    });
  });

  it('masks password and token fields in JSON text, nested or cut off mid-value', () => {
    expect(maskBody('{"auth":{"password":{"user":{"password":"s3cret"}}}}')).toBe(
      '{"auth":{"password":{"user":{"password":"[masked]"}}}}',
    );
    expect(maskBody('{"token": "abc\\"def", "name": "n"}')).toBe('{"token": "[masked]", "name": "n"}');
    expect(maskBody('{"username":"u","password":"hunt')).toBe('{"username":"u","password":"[masked]');
    expect(maskBody('{"Api_Key":"k"}')).toBe('{"Api_Key":"[masked]"}');
    expect(maskBody('{"name":"password"}')).toBe('{"name":"password"}');
  });
});

describe('seeded random', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    const c = seededRandom(6);
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('sandbox limit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes room by dropping a sandbox idle for more than 30 minutes, never a busy one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const { app } = await testApp({ maxSandboxes: 1 });
    expect((await request(app).post('/__admin/sandboxes').send({ id: 'old' })).status).toBe(201);
    vi.setSystemTime(new Date('2030-01-01T00:29:00Z'));
    expect((await request(app).post('/__admin/sandboxes').send({ id: 'new' })).status).toBe(409);
    await request(app).get('/__sandbox/old/__admin/clock'); // use keeps it alive
    vi.setSystemTime(new Date('2030-01-01T00:58:00Z'));
    expect((await request(app).post('/__admin/sandboxes').send({ id: 'new' })).status).toBe(409);
    vi.setSystemTime(new Date('2030-01-01T01:00:00Z'));
    expect((await request(app).post('/__admin/sandboxes').send({ id: 'new' })).status).toBe(201);
    const ids = (await request(app).get('/__admin/sandboxes')).body.sandboxes.map(
      (s: { id: string }) => s.id,
    );
    expect(ids).toEqual(['new']);
  });

  it('with MOCK_MAX_SANDBOXES=0 there are none', async () => {
    const { app } = await testApp({ maxSandboxes: 0 });
    const res = await request(app).post('/__admin/sandboxes');
    expect(res.status).toBe(409);
    expect(res.body.error).toContain('sandbox limit reached (0');
  });
});
