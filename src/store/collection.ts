import { MAX_JSON_DEPTH } from '../http/json-guard.js';
import type { BlobFiles } from './blob-files.js';
import { deepFreeze, type Frozen } from './frozen.js';

/**
 * One change to one collection, as the section's log records it: by id, so
 * replaying needs only the collection's own id rule. `put` inserts a record
 * or replaces the one with its id (keeping its place), `del` removes one,
 * `all` replaces the whole collection.
 */
export type Op = { c: string; put: object } | { c: string; del: string } | { c: string; all: object[] };

/** Records of a collection by one key (e.g. Glance members by image), each group in store order. */
export interface GroupIndex<R> {
  group(record: R): string;
}
/** Every record in one order (e.g. Glance images newest first); equal records keep store order, or its reverse. */
export interface OrderIndex<R> {
  order(a: R, b: R): number;
  ties: 'earlier-first' | 'later-first';
}
export type IndexSpec<R> = GroupIndex<R> | OrderIndex<R>;

export const groupBy = <R>(group: (record: R) => string): GroupIndex<R> => ({ group });
export const orderBy = <R>(
  order: (a: R, b: R) => number,
  ties: OrderIndex<R>['ties'] = 'earlier-first',
): OrderIndex<R> => ({ order, ties });

/** What a provider declares about one of its collections. */
export interface CollectionSpec<R extends object = object> {
  /** The record's identity: unique within the collection, never changed by an update (undefined: it has none). */
  id(record: R): string | undefined;
  indexes?: Record<string, IndexSpec<R>>;
  /**
   * Top-level fields whose values repeat across records (owners, formats,
   * hashes; a field holding an array or object of strings counts its
   * members). A collection loaded whole makes equal strings one string in
   * memory: JSON.parse gives every value its own copy, and at 100,000
   * records those copies are tens of megabytes.
   */
  sharedStrings?: readonly string[];
  /**
   * Folders under the section's blob directory ('' for the directory itself)
   * where a record may own one file named by its id (Glance: an image's data
   * and its staged data). The store removes them with the record (see BlobFiles).
   */
  blobAreas?: readonly string[];
}

/** A write that names a record id the collection already holds. */
export class DuplicateRecordError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`a record with id '${id}' already exists`);
  }
}

/** A write that names a record id the collection does not hold. */
export class MissingRecordError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`no record with id '${id}'`);
  }
}

/** A record that cannot be kept (no object, no id, a duplicate id): the store names the file. */
export class RecordProblem extends Error {}

/**
 * Walking a loaded record overflows the stack when it nests thousands of
 * levels deep (only a hand-edited file can: the APIs refuse bodies nested
 * deeper than MAX_JSON_DEPTH): a RecordProblem saying so, not a crash.
 */
function withinDepth<T>(collection: string, walk: () => T): T {
  try {
    return walk();
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new RecordProblem(
      `a record of '${collection}' nests arrays and objects too deeply to load ` +
        `(valid JSON, but thousands of levels deep; request bodies may nest at most ${MAX_JSON_DEPTH} levels)`,
    );
  }
}

/** An id made of several fields (`a/b`), undefined when one of them is not a string. */
export const compositeId = (...parts: unknown[]): string | undefined =>
  parts.every((p) => typeof p === 'string') ? parts.join('/') : undefined;

let uids = 0;

/**
 * One collection of a store section. Every write goes through it: the
 * change is applied to memory at once (so the next read in the same tick
 * sees it), handed to the section's log, and its promise resolves once the
 * log entry is durable. Records are frozen as they enter; a change makes a
 * new record. The version moves on every write, and the declared indexes
 * are kept current by the same call.
 */
export class Collection<R extends object = object> {
  /** Unique in the process: with `version`, what a cached value derived from this collection is keyed by. */
  readonly uid = ++uids;
  private versionValue = 0;
  private records = new Map<string, Frozen<R>>();
  /** Store order of each id: what settles ties in an order index and orders a group. */
  private seqs = new Map<string, number>();
  private nextSeq = 0;
  private list: readonly Frozen<R>[] | null = null;
  private readonly groups = new Map<string, { spec: GroupIndex<R>; by: Map<string, readonly Frozen<R>[]> }>();
  private readonly orders = new Map<string, { spec: OrderIndex<R>; records: Frozen<R>[] }>();

  constructor(
    readonly section: string,
    readonly name: string,
    private readonly spec: CollectionSpec<R>,
    private readonly submit: (ops: Op[]) => Promise<void>,
    /** The files its records own, when the spec declares blob areas. */
    private readonly blobs: BlobFiles | null = null,
  ) {
    for (const [index, def] of Object.entries(spec.indexes ?? {})) {
      if ('group' in def) this.groups.set(index, { spec: def, by: new Map() });
      else this.orders.set(index, { spec: def, records: [] });
    }
  }

  get version(): number {
    return this.versionValue;
  }

  get size(): number {
    return this.records.size;
  }

  idOf(record: R | Frozen<R>): string {
    return this.spec.id(record as R)!;
  }

  get(id: string): Frozen<R> | undefined {
    return this.records.get(id);
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /** Every record in store order (creation order, a replaced record keeping its place). */
  all(): readonly Frozen<R>[] {
    return (this.list ??= Object.freeze([...this.records.values()]));
  }

  find(match: (record: Frozen<R>) => boolean): Frozen<R> | undefined {
    for (const record of this.records.values()) if (match(record)) return record;
    return undefined;
  }

  filter(match: (record: Frozen<R>) => boolean): Frozen<R>[] {
    const out: Frozen<R>[] = [];
    for (const record of this.records.values()) if (match(record)) out.push(record);
    return out;
  }

  /** The records of one group of a group index, in store order. */
  by(index: string, key: string): readonly Frozen<R>[] {
    return this.group(index).by.get(key) ?? NONE;
  }

  /** The record at one position of an order index (every record is in it). */
  orderedAt(index: string, at: number): Frozen<R> | undefined {
    return this.order(index).records[at];
  }

  /** Where a record of this collection stands in an order index (-1: not held). */
  positionIn(index: string, record: Frozen<R>): number {
    const { records } = this.order(index);
    const at = this.search(index, record);
    return records[at] === record ? at : -1;
  }

  /** A frozen copy of an order index (for a walk that needs the whole of it). */
  ordered(index: string): readonly Frozen<R>[] {
    return Object.freeze([...this.order(index).records]);
  }

  insert(record: R): Promise<Frozen<R>> {
    const id = this.checkedId(record);
    if (this.records.has(id)) throw new DuplicateRecordError(this.name, id);
    const stored = this.apply(deepFreeze(record), id);
    return this.commit([{ c: this.name, put: stored }], stored);
  }

  /** Several new records, all or none: a duplicate id (stored or among them) changes nothing. */
  insertMany(records: readonly R[]): Promise<Frozen<R>[]> {
    const ids = records.map((r) => this.checkedId(r));
    const seen = new Set<string>();
    for (const id of ids) {
      if (this.records.has(id) || seen.has(id)) throw new DuplicateRecordError(this.name, id);
      seen.add(id);
    }
    const stored = records.map((r, i) => this.apply(deepFreeze(r), ids[i]!));
    return this.commit(
      stored.map((put) => ({ c: this.name, put })),
      stored,
    );
  }

  /** Inserts the record, or replaces the one with its id where it stands (its files stay: the same record, changed). */
  upsert(record: R): Promise<Frozen<R>> {
    const stored = this.apply(deepFreeze(record), this.checkedId(record));
    return this.commit([{ c: this.name, put: stored }], stored);
  }

  /** A new version of a stored record: fields to change, or a function from the current record to the next. */
  update(id: string, change: Partial<R> | ((current: Frozen<R>) => R)): Promise<Frozen<R>> {
    const current = this.records.get(id);
    if (!current) throw new MissingRecordError(this.name, id);
    const next = typeof change === 'function' ? change(current) : ({ ...current, ...change } as R);
    if (this.checkedId(next) !== id) throw new RecordProblem(`an update of '${id}' may not change its id`);
    const stored = this.apply(deepFreeze(next), id);
    return this.commit([{ c: this.name, put: stored }], stored);
  }

  remove(id: string): Promise<Frozen<R>> {
    const removed = this.drop(id);
    if (!removed) throw new MissingRecordError(this.name, id);
    const done = this.commit([{ c: this.name, del: id }], removed);
    this.blobs?.removeOf(id);
    return done;
  }

  /** The collection becomes exactly these records; files its old records owned are removed. */
  replaceAll(records: readonly R[]): Promise<void> {
    this.load(records);
    this.versionValue++;
    const done = this.submit([{ c: this.name, all: this.all() as unknown as object[] }]);
    // the new records come without files: a reset's fixtures have none, a snapshot restore copies its own back after
    this.blobs?.keepOnly(() => false);
    return done;
  }

  /** Removes the files of records the collection does not hold (once loaded: what a crash left). */
  pruneBlobs(): void {
    this.blobs?.keepOnly((id) => this.records.has(id));
  }

  /**
   * Takes a whole collection as it was stored or seeded (no log entry):
   * ids checked, equal strings shared, records frozen, indexes built.
   */
  load(records: readonly unknown[]): void {
    const byId = new Map<string, Frozen<R>>();
    for (const record of records) {
      const id = this.checkedId(record);
      if (byId.has(id))
        throw new RecordProblem(`collection '${this.name}' holds two records with id '${id}'`);
      byId.set(id, record as Frozen<R>);
    }
    withinDepth(this.name, () => {
      if (this.spec.sharedStrings) shareEqualStrings(byId.values(), this.spec.sharedStrings);
      for (const record of byId.values()) deepFreeze(record);
    });
    this.records = byId;
    this.seqs = new Map();
    this.nextSeq = 0;
    for (const id of byId.keys()) this.seqs.set(id, this.nextSeq++);
    this.list = null;
    for (const group of this.groups.values()) {
      group.by = new Map();
      for (const record of byId.values()) {
        const key = group.spec.group(record as R);
        group.by.set(key, [...(group.by.get(key) ?? NONE), record]);
      }
      for (const members of group.by.values()) Object.freeze(members);
    }
    for (const [name, order] of this.orders) order.records = [...byId.values()].sort(this.comparer(name));
  }

  /** Applies one logged change (replaying a log at start-up): no new log entry. */
  replay(op: Op): void {
    if ('all' in op) this.load(op.all);
    else if ('del' in op) {
      if (!this.drop(op.del))
        throw new RecordProblem(`it removes '${op.del}' from '${this.name}', which it does not hold`);
    } else
      this.apply(
        withinDepth(this.name, () => deepFreeze(op.put as R)),
        this.checkedId(op.put),
      );
  }

  private commit<T>(ops: Op[], result: T): Promise<T> {
    if (ops.length === 0) return Promise.resolve(result);
    this.versionValue++;
    return this.submit(ops).then(() => result);
  }

  private checkedId(record: unknown): string {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new RecordProblem(`collection '${this.name}' holds ${JSON.stringify(record)}, not a JSON object`);
    }
    let id: unknown;
    try {
      id = this.spec.id(record as R);
    } catch {
      id = undefined;
    }
    if (typeof id !== 'string') {
      throw new RecordProblem(
        `a record of '${this.name}' has no id: ${JSON.stringify(record).slice(0, 200)}`,
      );
    }
    return id;
  }

  /** Puts a frozen record in place of the one with its id (or at the end) and updates every index. */
  private apply(record: Frozen<R>, id: string): Frozen<R> {
    const old = this.records.get(id);
    this.records.set(id, record);
    this.list = null;
    if (!old) this.seqs.set(id, this.nextSeq++);
    for (const group of this.groups.values()) {
      const key = group.spec.group(record as R);
      if (old) {
        const oldKey = group.spec.group(old as R);
        if (oldKey === key) {
          this.groupSet(group.by, key, (m) => m.map((r) => (r === old ? record : r)));
          continue;
        }
        this.groupSet(group.by, oldKey, (m) => m.filter((r) => r !== old));
      }
      this.groupSet(group.by, key, (m) => this.bySeq([...m, record]));
    }
    for (const [name, order] of this.orders) {
      if (old) {
        const at = this.search(name, old, old);
        if (order.spec.order(old as R, record as R) === 0) {
          order.records[at] = record;
          continue;
        }
        order.records.splice(at, 1);
      }
      order.records.splice(this.search(name, record), 0, record);
    }
    return record;
  }

  private drop(id: string): Frozen<R> | undefined {
    const old = this.records.get(id);
    if (!old) return undefined;
    for (const group of this.groups.values()) {
      this.groupSet(group.by, group.spec.group(old as R), (m) => m.filter((r) => r !== old));
    }
    for (const [name, order] of this.orders) order.records.splice(this.search(name, old), 1);
    this.records.delete(id);
    this.seqs.delete(id);
    this.list = null;
    return old;
  }

  private groupSet(
    by: Map<string, readonly Frozen<R>[]>,
    key: string,
    change: (members: readonly Frozen<R>[]) => Frozen<R>[],
  ): void {
    const next = change(by.get(key) ?? NONE);
    if (next.length === 0) by.delete(key);
    else by.set(key, Object.freeze(next));
  }

  private bySeq(records: Frozen<R>[]): Frozen<R>[] {
    return records.sort((a, b) => this.seq(a) - this.seq(b));
  }

  private seq(record: Frozen<R>): number {
    return this.seqs.get(this.idOf(record)) ?? Number.MAX_SAFE_INTEGER;
  }

  /** The index order in full: the declared order, then store order (or its reverse) among equals. */
  private comparer(index: string): (a: Frozen<R>, b: Frozen<R>) => number {
    const { spec } = this.order(index);
    const sign = spec.ties === 'earlier-first' ? 1 : -1;
    return (a, b) => spec.order(a as R, b as R) || sign * (this.seq(a) - this.seq(b));
  }

  /** Binary search: the first position whose record does not come before `record` (`as` gives its place's key). */
  private search(index: string, record: Frozen<R>, as: Frozen<R> = record): number {
    const { records } = this.order(index);
    const compare = this.comparer(index);
    let lo = 0;
    let hi = records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(records[mid]!, as) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private group(index: string) {
    const group = this.groups.get(index);
    if (!group) throw new Error(`collection '${this.name}' has no group index '${index}'`);
    return group;
  }

  private order(index: string) {
    const order = this.orders.get(index);
    if (!order) throw new Error(`collection '${this.name}' has no order index '${index}'`);
    return order;
  }
}

const NONE: readonly never[] = Object.freeze([]);

/** One string in memory for equal values of the named fields (see CollectionSpec.sharedStrings); before freezing. */
function shareEqualStrings(records: Iterable<object>, fields: readonly string[]): void {
  const pool = new Map<string, string>();
  const one = (s: string) => {
    const known = pool.get(s);
    if (known !== undefined) return known;
    pool.set(s, s);
    return s;
  };
  for (const record of records) {
    // a record that is frozen already came from a store, where its strings were shared
    if (Object.isFrozen(record)) continue;
    const values = record as Record<string, unknown>;
    for (const field of fields) {
      const value = values[field];
      if (typeof value === 'string') values[field] = one(value);
      else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++)
          if (typeof value[i] === 'string') value[i] = one(value[i] as string);
      } else if (typeof value === 'object' && value !== null) {
        // own, writable data properties (even one named __proto__): assignment writes them in place
        const members = value as Record<string, unknown>;
        for (const key of Object.keys(members)) {
          if (typeof members[key] === 'string') members[key] = one(members[key]);
        }
      }
    }
  }
}
