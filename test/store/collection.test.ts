import { describe, expect, it } from 'vitest';
import {
  Collection,
  type CollectionSpec,
  compositeId,
  DuplicateRecordError,
  groupBy,
  MissingRecordError,
  type Op,
  orderBy,
  RecordProblem,
} from '../../src/store/collection.js';

interface Rec {
  id: string;
  owner: string;
  at: number;
  tags: string[];
}

const spec: CollectionSpec<Rec> = {
  id: (r) => r.id,
  indexes: {
    owner: groupBy((r: Rec) => r.owner),
    newest: orderBy((a: Rec, b: Rec) => b.at - a.at, 'later-first'),
  },
};

function collection(records: Rec[] = []) {
  const logged: Op[][] = [];
  const c = new Collection<Rec>('s', 'recs', spec, (ops) => {
    logged.push(ops);
    return Promise.resolve();
  });
  c.load(records);
  return { c, logged };
}
const rec = (id: string, owner = 'p', at = 0): Rec => ({ id, owner, at, tags: [] });
const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);

describe('Collection: the only way to change records', () => {
  it('hands out frozen records: a change in place throws instead of going unlogged', async () => {
    const { c } = collection([rec('a')]);
    const a = c.get('a')!;
    expect(() => {
      (a as Rec).owner = 'x';
    }).toThrow(TypeError);
    expect(() => (a.tags as string[]).push('t')).toThrow(TypeError);
    expect(() => (c.all() as Rec[]).push(rec('b'))).toThrow(TypeError);
    expect(() => (c.by('owner', 'p') as Rec[]).pop()).toThrow(TypeError);
    const inserted = await c.insert(rec('b'));
    expect(Object.isFrozen(inserted)).toBe(true);
    expect(Object.isFrozen(inserted.tags)).toBe(true);
  });

  it('each write logs its change by id, moves the version and resolves with the stored record', async () => {
    const { c, logged } = collection([rec('a'), rec('b')]);
    const v0 = c.version;
    await c.insert(rec('c'));
    const updated = await c.update('a', { owner: 'q' });
    await c.remove('b');
    expect(c.version).toBe(v0 + 3);
    expect(updated).toEqual({ ...rec('a'), owner: 'q' });
    expect(logged).toEqual([
      [{ c: 'recs', put: rec('c') }],
      [{ c: 'recs', put: { ...rec('a'), owner: 'q' } }],
      [{ c: 'recs', del: 'b' }],
    ]);
    // an update keeps the record's place in store order
    expect(ids(c.all())).toEqual(['a', 'c']);
  });

  it('refuses a duplicate, a missing record, a changed id and a record without an id, changing nothing', () => {
    const { c, logged } = collection([rec('a')]);
    expect(() => c.insert(rec('a'))).toThrow(DuplicateRecordError);
    expect(() => c.insertMany([rec('n'), rec('n')])).toThrow(DuplicateRecordError);
    expect(c.has('n')).toBe(false);
    expect(() => c.update('zz', { owner: 'q' })).toThrow(MissingRecordError);
    expect(() => c.remove('zz')).toThrow(MissingRecordError);
    expect(() => c.update('a', { id: 'b' })).toThrow(RecordProblem);
    expect(() => c.insert({ owner: 'p' } as Rec)).toThrow(RecordProblem);
    expect(() => c.load([5])).toThrow(/not a JSON object/);
    expect(() => c.load([rec('x'), rec('x')])).toThrow(/two records with id 'x'/);
    expect(logged).toEqual([]);
    expect(ids(c.all())).toEqual(['a']);
  });

  it('keeps a group index current through inserts, updates that move a record, removals and a replacement', async () => {
    const { c } = collection([rec('a', 'p'), rec('b', 'q'), rec('c', 'p')]);
    expect(ids(c.by('owner', 'p'))).toEqual(['a', 'c']);
    await c.insert(rec('d', 'p'));
    await c.update('b', { owner: 'p' });
    expect(ids(c.by('owner', 'p'))).toEqual(['a', 'b', 'c', 'd']);
    expect(c.by('owner', 'q')).toEqual([]);
    await c.remove('c');
    expect(ids(c.by('owner', 'p'))).toEqual(['a', 'b', 'd']);
    await c.replaceAll([rec('z', 'q')]);
    expect(c.by('owner', 'p')).toEqual([]);
    expect(ids(c.by('owner', 'q'))).toEqual(['z']);
  });

  it('keeps an order index sorted, equal records later-stored first, through every kind of write', async () => {
    const { c } = collection([rec('a', 'p', 1), rec('b', 'p', 2), rec('c', 'p', 1)]);
    const order = () => Array.from({ length: c.size }, (_, i) => c.orderedAt('newest', i)!.id);
    expect(order()).toEqual(['b', 'c', 'a']);
    await c.insert(rec('d', 'p', 1));
    expect(order()).toEqual(['b', 'd', 'c', 'a']);
    await c.update('a', { at: 3 });
    expect(order()).toEqual(['a', 'b', 'd', 'c']);
    await c.update('d', { owner: 'q' }); // same place: its order key did not change
    expect(order()).toEqual(['a', 'b', 'd', 'c']);
    await c.remove('b');
    expect(order()).toEqual(['a', 'd', 'c']);
    expect(c.positionIn('newest', c.get('c')!)).toBe(2);
    expect(c.positionIn('newest', rec('c', 'p', 1))).toBe(-1);
    expect(ids(c.ordered('newest'))).toEqual(order());
  });

  it('replays its own log to the same state', async () => {
    const { c, logged } = collection([rec('a'), rec('b')]);
    await c.insert(rec('c', 'q', 5));
    await c.update('a', { tags: ['t'] });
    await c.remove('b');
    const replica = collection([rec('a'), rec('b')]).c;
    for (const ops of JSON.parse(JSON.stringify(logged)) as Op[][]) for (const op of ops) replica.replay(op);
    expect(replica.all()).toEqual(c.all());
    expect(ids(replica.by('owner', 'q'))).toEqual(['c']);
  });

  it('a composite id is undefined when a part is missing', () => {
    expect(compositeId('a', 'b')).toBe('a/b');
    expect(compositeId('a', undefined)).toBeUndefined();
  });
});
