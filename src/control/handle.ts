import type { MockContext } from '../context.js';
import type { Provider } from '../providers/provider.js';
import { parseInstant } from './clock-control.js';
import { type FaultRule, parseFaultRule } from './fault-rule.js';
import type { Fault } from './faults.js';
import {
  type JournalEntry,
  type JournalFilter,
  type JournalSettings,
  parseJournalSettings,
} from './journal.js';
import { collectionOf, insertRecords, removeRecord, resetStore } from './records.js';
import type { SnapshotInfo } from './snapshots.js';

export type StoredRecord = Record<string, unknown>;

/** Control of one mock instance from code: the same operations as its `/__admin` API. */
export interface MockHandle {
  /** Base URL to point clients at (no trailing slash). */
  url: string;
  /** Back to the fixtures; `all` also clears the journal and faults and releases the clock. */
  reset(options?: { seed?: number; providers?: string[]; all?: boolean }): Promise<void>;
  /** Validated like `POST /__admin/store/...`; resolves once stored. */
  insert(
    provider: string,
    collection: string,
    records: StoredRecord | StoredRecord[],
  ): Promise<StoredRecord[]>;
  records(provider: string, collection: string): StoredRecord[];
  remove(provider: string, collection: string, id: string): Promise<void>;
  journal: {
    list(filter?: JournalFilter): JournalEntry[];
    count(filter?: JournalFilter): number;
    clear(): void;
    settings(change?: Partial<JournalSettings>): JournalSettings;
  };
  faults: {
    add(rule: FaultRule): Fault;
    list(): Fault[];
    remove(id: string): void;
    clear(): void;
  };
  clock: {
    now(): Date;
    /** Stops the clock (at `at`, or now). */
    freeze(at?: Date | string | number): void;
    set(at: Date | string | number): void;
    /** Milliseconds; negative goes back. */
    advance(ms: number): void;
    release(): void;
  };
  snapshots: {
    save(name: string): Promise<SnapshotInfo>;
    restore(name: string): Promise<SnapshotInfo>;
    list(): SnapshotInfo[];
    delete(name: string): void;
  };
}

const instant = (at: Date | string | number, field: string) =>
  at instanceof Date ? at : parseInstant(at, field);

export function mockHandle(ctx: MockContext, providers: readonly Provider[], url: string): MockHandle {
  const { controls } = ctx;
  const names = providers.map((p) => p.name);
  return {
    url,
    async reset(options = {}) {
      await resetStore(ctx, providers, options);
      if (options.all) {
        controls.journal.clear();
        controls.faults.clear();
        ctx.clock.release();
      }
    },
    insert: (provider, collection, records) => insertRecords(ctx, providers, provider, collection, records),
    records: (provider, collection) =>
      structuredClone(collectionOf(ctx, providers, provider, collection).records.all()) as StoredRecord[],
    remove: (provider, collection, id) => removeRecord(ctx, providers, provider, collection, id),
    journal: {
      list: (filter) => controls.journal.list(filter),
      count: (filter) => controls.journal.count(filter),
      clear: () => controls.journal.clear(),
      settings: (change) =>
        change ? controls.journal.configure(parseJournalSettings(change)) : controls.journal.settings,
    },
    faults: {
      add: (rule) => controls.faults.add(parseFaultRule(rule, names)),
      list: () => controls.faults.list(),
      remove: (id) => controls.faults.remove(id),
      clear: () => controls.faults.clear(),
    },
    clock: {
      now: () => ctx.clock.now(),
      freeze: (at) => ctx.clock.freeze(at === undefined ? ctx.clock.now() : instant(at, 'at')),
      set: (at) => ctx.clock.set(instant(at, 'at')),
      advance: (ms) => ctx.clock.advance(ms),
      release: () => ctx.clock.release(),
    },
    snapshots: {
      save: (name) => controls.snapshots.save(name),
      restore: (name) => controls.snapshots.restore(name),
      list: () => controls.snapshots.list(),
      delete: (name) => controls.snapshots.delete(name),
    },
  };
}
