import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { MAX_PATTERN_SEGMENTS, pathPattern } from '../../src/control/pattern.js';
import { testApp } from '../helpers.js';

/** The regular expression the patterns used to be: the meaning to keep (only safe on small inputs). */
function regexPattern(pattern: string): (path: string) => boolean {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(path);
}

const globstars = (n: number) => '/' + '**/'.repeat(n) + 'z';
const segments = (n: number) => '/v2/' + 'a/'.repeat(n);

/** Milliseconds one call takes. */
function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

describe('path patterns match without backtracking', () => {
  it('keeps the meaning of the old regular expressions', () => {
    // few characters, so both match the same paths often and differ where they would
    const char = fc.constantFrom('a', 'b', '/', '.', '*');
    const pathChar = fc.constantFrom('a', 'b', '/', '.');
    fc.assert(
      fc.property(
        fc.string({ unit: char, maxLength: 10 }),
        fc.string({ unit: pathChar, maxLength: 14 }),
        (pattern, path) => {
          expect(pathPattern(pattern)(path)).toBe(regexPattern(pattern)(path));
        },
      ),
      { numRuns: 3000, seed: 17 },
    );
  });

  it('the same wildcards in a row mean what they meant', () => {
    expect(pathPattern('/a/***')('/a/b/c')).toBe(true);
    expect(pathPattern('/a/****/c')('/a/c')).toBe(false);
    expect(pathPattern('/a/**/c')('/a//c')).toBe(true);
    expect(pathPattern('/a/*/c')('/a//c')).toBe(true);
    expect(pathPattern('/a*')('/a/b')).toBe(false);
    expect(pathPattern('**')('')).toBe(true);
    expect(pathPattern('')('')).toBe(true);
    expect(pathPattern('')('/')).toBe(false);
  });

  it('11 ** against 30 segments that do not match (the regex took seconds)', () => {
    const matches = pathPattern(globstars(11));
    expect(timed(() => expect(matches(segments(30))).toBe(false))).toBeLessThan(200);
  });

  it('30 ** against a 200-segment path, matching or not, well under 200 ms', () => {
    const matches = pathPattern(globstars(30));
    expect(timed(() => expect(matches(segments(200))).toBe(false))).toBeLessThan(200);
    expect(timed(() => expect(matches(segments(200) + 'z')).toBe(true))).toBeLessThan(200);
    const stars = pathPattern('/' + '*/'.repeat(30) + '**/z');
    expect(timed(() => expect(stars(segments(200))).toBe(false))).toBeLessThan(200);
  });
});

describe('journal filters and fault rules with pathological patterns', () => {
  it('a journal count over a 50-segment request answers at once', async () => {
    const t = await testApp();
    await request(t.app).get(segments(50));
    const started = Date.now();
    const res = await request(t.app).get(`/__admin/journal/count?path=${globstars(8)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ count: 0 });
    const hit = await request(t.app).get(`/__admin/journal/count?path=${globstars(8).slice(0, -1)}**`);
    expect(hit.body).toEqual({ count: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a fault rule with 30 ** and a 200-segment request leave the server answering', async () => {
    const t = await testApp();
    const rule = await request(t.app)
      .post('/__admin/faults')
      .send({ path: globstars(30), status: 503 });
    expect(rule.status).toBe(201);
    const started = Date.now();
    await request(t.app).get(segments(200));
    await request(t.app).get(segments(200) + 'z');
    expect((await request(t.app).get('/__admin/health')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    const faults = (await request(t.app).get('/__admin/faults')).body.faults;
    expect(faults[0].hits).toBe(1);
  });

  it('absurdly long patterns get a 400 that says why', async () => {
    const t = await testApp();
    const long = '/a'.repeat(MAX_PATTERN_SEGMENTS + 1);
    const journal = await request(t.app).get(`/__admin/journal?path=${long}`);
    expect(journal.status).toBe(400);
    expect(journal.body.error).toContain(`at most ${MAX_PATTERN_SEGMENTS}`);
    const fault = await request(t.app).post('/__admin/faults').send({ path: long, status: 503 });
    expect(fault.status).toBe(400);
    expect(fault.body.error).toContain('segments');
    const ok = await request(t.app)
      .post('/__admin/faults')
      .send({ path: '/a'.repeat(MAX_PATTERN_SEGMENTS - 1), status: 503 });
    expect(ok.status).toBe(201);
  });
});
