import { describe, expect, it } from 'vitest';
import type { ImageRecord } from '../../src/providers/glance/model/image.js';
import { setOwn } from '../../src/providers/glance/model/image.js';
import { shareEqualStrings } from '../../src/providers/glance/model/shared-strings.js';
import { as, glanceData, testApp } from './kit.js';

/** Copies of records as JSON.parse gives them: every string its own. */
const reparsed = (images: ImageRecord[]) => JSON.parse(JSON.stringify(images)) as ImageRecord[];

describe('equal strings of a loaded collection are shared, the records unchanged', () => {
  it('every record has the same value after the pass, custom properties and tags included', async () => {
    const t = await testApp();
    const images = reparsed(glanceData(t).images);
    setOwn(images[0]!.properties, '__proto__', 'a property named __proto__');
    images[1]!.updated_at = images[1]!.created_at.slice(0); // a copy of the same instant
    const before = JSON.stringify(images);
    shareEqualStrings(images);
    expect(JSON.stringify(images)).toBe(before);
    expect(Object.getPrototypeOf(images[0]!.properties)).toBe(Object.prototype);
    expect(Object.hasOwn(images[0]!.properties, '__proto__')).toBe(true);
  });

  it('a record a hand-edited store left without tags or properties is passed over', () => {
    const broken = { id: 'x', owner: 'p', created_at: 'a', updated_at: 'a' } as unknown as ImageRecord;
    expect(() => shareEqualStrings([broken])).not.toThrow();
    expect(broken).toEqual({ id: 'x', owner: 'p', created_at: 'a', updated_at: 'a' });
  });

  it('lists and gets answer the same bytes before and after a reset runs the pass again', async () => {
    const t = await testApp();
    const pages = async () =>
      Promise.all(
        ['/v2/images?limit=1000', '/v2/images?sort=name:asc&limit=7'].map(
          async (p) => (await as(t, 'admin').get(p)).text,
        ),
      );
    const before = await pages();
    const { images } = glanceData(t);
    // a restore hands the catalog a new array of fresh copies: the pass runs on it
    await t.ctx.store.replace('glance', { ...glanceData(t), images: reparsed(images) });
    expect(glanceData(t).images).not.toBe(images);
    expect(await pages()).toEqual(before);
  });
});
