import { describe, expect, it } from 'vitest';
import { KnownValidBodies } from '../../src/validation/known-valid.js';

describe('KnownValidBodies: bytes that already passed a schema', () => {
  it('remembers a body per schema, by its exact bytes', () => {
    const known = new KnownValidBodies();
    known.add('a/list', '{"data":[]}');
    expect(known.has('a/list', '{"data":[]}')).toBe(true);
    expect(known.has('a/list', '{"data": []}')).toBe(false);
    expect(known.has('b/list', '{"data":[]}')).toBe(false);
  });

  it('never remembers a body larger than its per-body limit', () => {
    const known = new KnownValidBodies(1000, 10);
    known.add('s', 'x'.repeat(11));
    expect(known.has('s', 'x'.repeat(11))).toBe(false);
  });

  it('starts over when the character budget would be exceeded', () => {
    const known = new KnownValidBodies(20, 20);
    known.add('s', 'a'.repeat(15));
    known.add('s', 'b'.repeat(10));
    expect(known.has('s', 'a'.repeat(15))).toBe(false);
    expect(known.has('s', 'b'.repeat(10))).toBe(true);
  });
});
