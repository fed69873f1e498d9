import { describe, expect, it } from 'vitest';
import { DerivedCache } from '../../src/store/cache.js';

const versioned = (uid: number, version = 0) => ({ uid, version });

describe('DerivedCache: the one cache, keyed by what a value came from', () => {
  it('builds once per state of the collections it read, and never serves a value after they changed', () => {
    const cache = new DerivedCache(1000);
    const a = versioned(1);
    const b = versioned(2);
    let builds = 0;
    const build = () => ++builds;
    expect(cache.get([a, b], 'k', build)).toBe(1);
    expect(cache.get([a, b], 'k', build)).toBe(1);
    expect(cache.get([a, b], 'other', build)).toBe(2);
    expect(cache.get([versioned(1, 1), b], 'k', build)).toBe(3);
    expect(cache.get([a, versioned(2, 1)], 'k', build)).toBe(4);
    // another collection at the same version is another key
    expect(cache.get([versioned(3), b], 'k', build)).toBe(5);
  });

  it('holds one value per collections and key: a rebuild after a write replaces the stale one', () => {
    const cache = new DerivedCache(1000);
    const list = (version: number) =>
      cache.get(
        [versioned(1, version), versioned(2)],
        'list',
        () => `v${version}`.padEnd(50, '.'),
        (v) => v.length,
      );
    for (let version = 0; version < 10; version++) expect(list(version)).toMatch(`v${version}.`);
    // the nine superseded lists are gone, not left to age out of the budget
    expect(cache.chars).toBe(50);
    expect(cache.get([versioned(1, 9), versioned(2)], 'list', () => 'rebuilt')).toMatch('v9.');
    // a stale value too large to be replaced by its rebuild is still dropped
    cache.get(
      [versioned(1, 10), versioned(2)],
      'list',
      () => 'z'.repeat(300),
      (v) => v.length,
    );
    expect(cache.chars).toBe(0);
  });

  it('keys a value of one record by the record object: a new version of the record is a new key', () => {
    const cache = new DerivedCache(1000);
    const record = Object.freeze({ id: 'a' });
    const changed = Object.freeze({ id: 'a' });
    expect(cache.forRecord(record, 'k', () => 'first')).toBe('first');
    expect(cache.forRecord(record, 'k', () => 'again')).toBe('first');
    expect(cache.forRecord(changed, 'k', () => 'changed')).toBe('changed');
  });

  it('stays within its budget, the least recently used first out, and keeps nothing larger than a quarter', () => {
    const cache = new DerivedCache(100);
    for (let i = 0; i < 50; i++)
      cache.get(
        [],
        `k${i}`,
        () => 'x'.repeat(10),
        (v) => v.length,
      );
    expect(cache.chars).toBeLessThanOrEqual(100);
    expect(cache.get([], 'k49', () => 'rebuilt')).toBe('x'.repeat(10));
    expect(cache.get([], 'k0', () => 'rebuilt')).toBe('rebuilt');
    cache.get(
      [],
      'big',
      () => 'y'.repeat(26),
      (v) => v.length,
    );
    expect(cache.get([], 'big', () => 'not kept')).toBe('not kept');
  });

  it('holds a long memo key as its digest: a body that passed is remembered without keeping its text', () => {
    const cache = new DerivedCache(100_000);
    const body = (c: string) => `valid s\n${JSON.stringify({ images: c.repeat(20_000) })}`;
    cache.remember(body('a'), 20_000);
    expect(cache.has(body('a'))).toBe(true);
    expect(cache.has(body('b'))).toBe(false);
    cache.remember(body('b'), 20_000);
    expect(cache.has(body('a'))).toBe(true);
    expect(cache.has(body('b'))).toBe(true);
    expect(cache.chars).toBeLessThan(200);
  });

  it('remembers keys for the validation memo, and a budget of 0 keeps nothing', () => {
    const cache = new DerivedCache(100);
    cache.remember('valid s\n{}', 2);
    expect(cache.has('valid s\n{}')).toBe(true);
    const off = new DerivedCache(0);
    off.remember('k', 1);
    expect(off.has('k')).toBe(false);
    let builds = 0;
    off.get([], 'k', () => ++builds);
    off.get([], 'k', () => ++builds);
    expect(builds).toBe(2);
  });
});
