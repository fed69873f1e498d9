import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectStartupGarbage } from '../../src/cli/startup-garbage.js';

describe('one full collection after a large store is loaded', () => {
  it('leaves a heap under the threshold alone', () => {
    expect(collectStartupGarbage(Number.POSITIVE_INFINITY)).toBe(false);
  });

  it('reaches the collector on this Node and runs it', () => {
    expect(collectStartupGarbage(0)).toBe(true);
    expect(vm.runInNewContext('typeof gc')).toBe('function');
  });
});
