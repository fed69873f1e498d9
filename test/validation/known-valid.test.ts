import { afterEach, describe, expect, it, vi } from 'vitest';
import { KnownValidBodies, MemoBudget } from '../../src/validation/known-valid.js';

describe('KnownValidBodies: bytes that already passed a schema', () => {
  it('remembers a body per schema, by its exact bytes', () => {
    const known = new KnownValidBodies(new MemoBudget(1000));
    known.add('a/list', '{"data":[]}');
    expect(known.has('a/list', '{"data":[]}')).toBe(true);
    expect(known.has('a/list', '{"data": []}')).toBe(false);
    expect(known.has('b/list', '{"data":[]}')).toBe(false);
  });

  it('never remembers a body larger than its per-body limit or the whole budget', () => {
    const known = new KnownValidBodies(new MemoBudget(1000), 10);
    known.add('s', 'x'.repeat(11));
    expect(known.has('s', 'x'.repeat(11))).toBe(false);
    const small = new KnownValidBodies(new MemoBudget(5));
    small.add('s', 'x'.repeat(6));
    expect(small.has('s', 'x'.repeat(6))).toBe(false);
  });

  it('starts over when the character budget would be exceeded', () => {
    const known = new KnownValidBodies(new MemoBudget(20));
    known.add('s', 'a'.repeat(15));
    known.add('s', 'b'.repeat(10));
    expect(known.has('s', 'a'.repeat(15))).toBe(false);
    expect(known.has('s', 'b'.repeat(10))).toBe(true);
  });

  it('counts a body once however often it is added', () => {
    const budget = new MemoBudget(100);
    const known = new KnownValidBodies(budget);
    for (let i = 0; i < 5; i++) known.add('s', 'a'.repeat(15));
    expect(budget.chars).toBe(15);
  });

  it('shares one budget between memos, so more memos (sandboxes) do not mean more memory', () => {
    const budget = new MemoBudget(30);
    const memos = Array.from({ length: 4 }, () => new KnownValidBodies(budget));
    memos.forEach((memo, i) => memo.add('s', String(i).repeat(10)));
    // the fourth body did not fit: every memo started over, and only it is kept
    expect(memos.map((memo, i) => memo.has('s', String(i).repeat(10)))).toEqual([false, false, false, true]);
    expect(budget.chars).toBe(10);
  });

  describe('the process-wide budget', () => {
    const original = process.env.MOCK_VALIDATION_MEMO_CHARS;
    afterEach(() => {
      if (original === undefined) delete process.env.MOCK_VALIDATION_MEMO_CHARS;
      else process.env.MOCK_VALIDATION_MEMO_CHARS = original;
      vi.restoreAllMocks();
    });
    const freshBudget = async (value: string | undefined) => {
      if (value === undefined) delete process.env.MOCK_VALIDATION_MEMO_CHARS;
      else process.env.MOCK_VALIDATION_MEMO_CHARS = value;
      vi.resetModules();
      const module = await import('../../src/validation/known-valid.js');
      return module.validationMemoBudget.limit;
    };

    it('is 32 M characters by default, MOCK_VALIDATION_MEMO_CHARS otherwise', async () => {
      expect(await freshBudget(undefined)).toBe(32 * 1024 * 1024);
      expect(await freshBudget('4096')).toBe(4096);
      expect(await freshBudget('0')).toBe(0);
    });

    it('warns about a value that is not a number and keeps the default', async () => {
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      expect(await freshBudget('lots')).toBe(32 * 1024 * 1024);
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining(
          "MOCK_VALIDATION_MEMO_CHARS must be a whole number of characters, got 'lots'",
        ),
      );
    });
  });
});
