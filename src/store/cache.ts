import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** What a cached value can be derived from: a collection (its uid and version say which state). */
export interface Versioned {
  readonly uid: number;
  readonly version: number;
}

interface Entry {
  value: unknown;
  /** The versions of the collections the value was derived from (none for a record's or a memo's value). */
  stamp?: string;
}

const DEFAULT_CHARS = 32 * 1024 * 1024;

/**
 * The one cache of the process: serialised answers, look-ups and the
 * validation memo, for the main instance and every sandbox alike, under
 * one size budget (least recently used dropped first).
 *
 * A value derived from store data is kept under the uids of the collections
 * it read, stamped with their versions: a write makes it stale at once (it
 * is never served after the data it came from changed), and the next build
 * replaces it in place. Versions only move forward, so a superseded value
 * can never be asked for again; keeping it until it aged out would fill the
 * budget with dead answers (a list rebuilt after every create, in every
 * sandbox) and hold them in the heap. A value derived from one record alone is keyed
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
    let uids = '';
    let stamp = '';
    for (const v of from) {
      uids += `${v.uid} `;
      stamp += `${v.version} `;
    }
    return this.cached(`${uids}|${key}`, build, size, stamp);
  }

  /** A value derived from one frozen record alone, built once per version of the record. */
  forRecord<T>(record: object, key: string, build: () => T, size: (value: T) => number = () => 64): T {
    let n = this.recordKeys.get(record);
    if (n === undefined) this.recordKeys.set(record, (n = ++this.nextRecordKey));
    return this.cached(`#${n}|${key}`, build, size);
  }

  /** Whether `key` was remembered (the validation memo: a body's bytes that passed their schema). */
  has(key: string): boolean {
    return this.lru?.has(memoKey(key)) ?? false;
  }

  /** `chars`: the size of what the key stands for; the memo holds at most a digest of it. */
  remember(key: string, chars: number): void {
    const held = memoKey(key);
    this.lru?.set(held, { value: true }, { size: Math.max(1, Math.min(chars, held.length)) });
  }

  /** Characters held now (for tests and the soak's memory judgement). */
  get chars(): number {
    return this.lru?.calculatedSize ?? 0;
  }

  clear(): void {
    this.lru?.clear();
  }

  private cached<T>(key: string, build: () => T, size: (value: T) => number, stamp?: string): T {
    const hit = this.lru?.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    // a stale value goes now, not when a build is too large to take its place
    if (hit) this.lru!.delete(key);
    const value = build();
    const chars = Math.max(1, Math.ceil(size(value)));
    // a value larger than a quarter of the budget would push out everything else for one answer
    if (this.lru && chars <= this.maxChars / 4) this.lru.set(key, { value, stamp }, { size: chars });
    return value;
  }
}

/** Keys longer than this are held as their digest. */
const MEMO_KEY_CHARS = 128;
let lastKey = '';
let lastDigest = '';

/**
 * What the memo holds for `key`. Its keys are whole bodies (a list of a
 * thousand images is most of a megabyte), built anew for every version of
 * the list and never asked for again once a write superseded it: held
 * whole, they filled the budget and the heap with dead text. A SHA-256
 * digest stands for the bytes instead (computed once per build of a body,
 * cheaper than the validation it saves; `has` and `remember` ask about
 * the same key in turn, so the last one is kept).
 */
function memoKey(key: string): string {
  if (key.length <= MEMO_KEY_CHARS) return key;
  if (key !== lastKey) {
    lastDigest = `memo ${createHash('sha256').update(key).digest('base64')}`;
    lastKey = key;
  }
  return lastDigest;
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
