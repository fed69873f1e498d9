import { LRUCache } from 'lru-cache';

/** What a cached value can be derived from: a collection (its uid and version say which state). */
export interface Versioned {
  readonly uid: number;
  readonly version: number;
}

interface Entry {
  value: unknown;
}

const DEFAULT_CHARS = 32 * 1024 * 1024;

/**
 * The one cache of the process: serialised answers, look-ups and the
 * validation memo, for the main instance and every sandbox alike, under
 * one size budget (least recently used dropped first).
 *
 * A value derived from store data is keyed by the uid and version of every
 * collection it read, so a write makes it unreachable at once: it can never
 * be served after the data it came from changed, and it ages out of the
 * budget like anything else. A value derived from one record alone is keyed
 * by that record object: records are frozen, so a changed record is a new
 * object with a key of its own.
 */
export class DerivedCache {
  private readonly lru: LRUCache<string, Entry> | null;
  private readonly recordKeys = new WeakMap<object, number>();
  private nextRecordKey = 0;

  constructor(readonly maxChars: number) {
    this.lru = maxChars > 0 ? new LRUCache<string, Entry>({ maxSize: maxChars }) : null;
  }

  /** A value derived from the current state of `from`, built once per state. `size`: its characters, about. */
  get<T>(from: readonly Versioned[], key: string, build: () => T, size: (value: T) => number = () => 64): T {
    let stamp = '';
    for (const v of from) stamp += `${v.uid}.${v.version} `;
    return this.cached(`${stamp}|${key}`, build, size);
  }

  /** A value derived from one frozen record alone, built once per version of the record. */
  forRecord<T>(record: object, key: string, build: () => T, size: (value: T) => number = () => 64): T {
    let n = this.recordKeys.get(record);
    if (n === undefined) this.recordKeys.set(record, (n = ++this.nextRecordKey));
    return this.cached(`#${n}|${key}`, build, size);
  }

  /** Whether `key` was remembered (the validation memo: a body's bytes that passed their schema). */
  has(key: string): boolean {
    return this.lru?.has(key) ?? false;
  }

  remember(key: string, chars: number): void {
    this.lru?.set(key, { value: true }, { size: Math.max(1, chars) });
  }

  /** Characters held now (for tests and the soak's memory judgement). */
  get chars(): number {
    return this.lru?.calculatedSize ?? 0;
  }

  clear(): void {
    this.lru?.clear();
  }

  private cached<T>(key: string, build: () => T, size: (value: T) => number): T {
    const hit = this.lru?.get(key);
    if (hit) return hit.value as T;
    const value = build();
    const chars = Math.max(1, Math.ceil(size(value)));
    // a value larger than a quarter of the budget would push out everything else for one answer
    if (this.lru && chars <= this.maxChars / 4) this.lru.set(key, { value }, { size: chars });
    return value;
  }
}

/**
 * The process's budget: 32 M characters, or MOCK_CACHE_CHARS (0 turns the
 * cache off). A tuning knob, read here rather than in the config because the
 * cache is shared by every instance of the process and only memory tests
 * need it: a small budget fills in seconds.
 */
function processBudget(): number {
  const raw = process.env.MOCK_CACHE_CHARS;
  if (raw === undefined || raw === '') return DEFAULT_CHARS;
  if (!/^\d+$/.test(raw.trim())) {
    process.emitWarning(
      `MOCK_CACHE_CHARS must be a whole number of characters, got '${raw}'; using ${DEFAULT_CHARS}`,
    );
    return DEFAULT_CHARS;
  }
  return Number(raw);
}

export const cache = new DerivedCache(processBudget());
