import { describe, expect, it } from 'vitest';
import { CoalescingWriter } from '../../src/store/coalescing-writer.js';

/** A flush whose completion the test controls, recording the state version each flush saw. */
function controlledFlush() {
  let version = 0;
  const flushes: { saw: number; finish: () => void; fail: (e: Error) => void }[] = [];
  const flush = () =>
    new Promise<void>((resolve, reject) => {
      flushes.push({ saw: version, finish: resolve, fail: reject });
    });
  return { flushes, flush, mutate: () => ++version };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('CoalescingWriter', () => {
  it('resolves each request only after a flush that started after it', async () => {
    const c = controlledFlush();
    const writer = new CoalescingWriter(c.flush);
    const done: number[] = [];
    const request = (n: number) => writer.request().then(() => done.push(n));

    c.mutate();
    void request(1);
    await tick();
    expect(c.flushes).toHaveLength(1);

    // Arrive while flush 1 runs: they must wait for a second flush, which sees their changes.
    c.mutate();
    void request(2);
    c.mutate();
    void request(3);
    c.flushes[0]!.finish();
    await tick();
    await tick();
    expect(done).toEqual([1]);
    expect(c.flushes).toHaveLength(2);
    expect(c.flushes[1]!.saw).toBe(3);

    c.flushes[1]!.finish();
    await tick();
    await tick();
    expect(done).toEqual([1, 2, 3]);
  });

  it('coalesces a burst of 100 requests into at most two flushes', async () => {
    const c = controlledFlush();
    const writer = new CoalescingWriter(c.flush);
    const all = Array.from({ length: 100 }, () => {
      c.mutate();
      return writer.request();
    });
    await tick();
    while (c.flushes.some((f) => f)) {
      const pending = c.flushes.length;
      for (const f of c.flushes) f.finish();
      await tick();
      await tick();
      if (c.flushes.length === pending) break;
    }
    await Promise.all(all);
    expect(c.flushes.length).toBeLessThanOrEqual(2);
    expect(c.flushes.at(-1)!.saw).toBe(100);
  });

  it('a failed flush rejects its waiters and the next request flushes again', async () => {
    const c = controlledFlush();
    const writer = new CoalescingWriter(c.flush);
    const first = writer.request();
    await tick();
    c.flushes[0]!.fail(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    const second = writer.request();
    await tick();
    expect(c.flushes).toHaveLength(2);
    c.flushes[1]!.finish();
    await expect(second).resolves.toBeUndefined();
    await writer.idle();
  });
});
