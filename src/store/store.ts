import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Low, Memory } from 'lowdb';
import { MemoryCheck } from './change-set.js';
import { CoalescingWriter } from './coalescing-writer.js';
import { LoggedJsonFile } from './logged-json-file.js';
import { type SeedContext, seedContext } from './seed-context.js';

export type Collections = Record<string, unknown[]>;

/** What a provider keeps in the store: named collections, seeded from its fixtures. */
export interface StoreSection<D extends Collections = Collections> {
  name: string;
  collections: readonly (keyof D & string)[];
  seed(ctx: SeedContext): D;
}

export interface StoreOptions {
  /** Directory for `<section>.json` files, or ':memory:'. */
  location: string;
  sections: readonly StoreSection[];
  seed: number;
  fixturesDir: string;
  /** Check every logged write by replaying it (see ReplayCheck); for tests. Default: MOCK_STORE_CHECK_LOG=1. */
  checkLog?: boolean;
  /** Quiet time after which a section's log is folded into its snapshot. */
  compactWhenIdleMs?: number;
}

interface OpenSection {
  section: StoreSection;
  db: Low<Collections>;
  file: LoggedJsonFile | null;
  writer: CoalescingWriter | null;
  /** In memory with `checkLog`: each commit's named changes are checked all the same. */
  memoryCheck: MemoryCheck | null;
  /** Folds the log into the snapshot once writes pause, so the JSON file is current for a reader. */
  compaction: NodeJS.Timeout | null;
  /** Moves on every commit and replace: what was derived from an older version is stale. */
  version: number;
  derived: Map<string, unknown>;
}

/** Derived values kept per section before the oldest are dropped (bounds memory when keys vary, e.g. per id). */
const MAX_DERIVED = 10_000;

const COMPACT_WHEN_IDLE_MS = 500;

export const MEMORY = ':memory:';

/**
 * One lowdb database per provider section. Reads touch only memory; a
 * mutation is followed by `commit(section)`, which resolves once the change
 * is durably on disk (writes close together share one file write). A commit
 * that names what it changed in place appends just the change to the
 * section's log instead of rewriting the file (see LoggedJsonFile).
 */
export class Store {
  private readonly open = new Map<string, OpenSection>();
  private readonly replaced = new Set<(section: string) => void>();
  private seedValue: number;
  readonly blobRoot: string;

  private constructor(private readonly options: StoreOptions) {
    this.seedValue = options.seed;
    this.blobRoot = this.persistent
      ? path.resolve(options.location, 'blobs')
      : mkdtempSync(path.join(os.tmpdir(), 'image-api-mocks-'));
  }

  static async open(options: StoreOptions): Promise<Store> {
    const store = new Store(options);
    if (store.persistent) await mkdir(path.resolve(options.location), { recursive: true });
    for (const section of options.sections) {
      await store.load(section);
    }
    return store;
  }

  get persistent(): boolean {
    return this.options.location !== MEMORY;
  }

  private get checkLog(): boolean {
    return this.options.checkLog ?? process.env.MOCK_STORE_CHECK_LOG === '1';
  }

  get seed(): number {
    return this.seedValue;
  }

  sectionNames(): string[] {
    return [...this.open.keys()];
  }

  fileOf(section: string): string | null {
    return this.persistent ? path.resolve(this.options.location, `${section}.json`) : null;
  }

  /** The live collections of a section; mutate them, then `commit`. */
  data<D extends Collections = Collections>(section: string): D {
    return this.get(section).db.data as D;
  }

  /**
   * Makes the section's changes durable. Without `changedInPlace` anything
   * may have changed and the whole section is written. With it, records
   * inserted or removed are found by comparing, and the records listed are
   * the ones changed in place: every such record must be listed (tests run
   * with `checkLog`, which fails a write that leaves one out).
   */
  commit(section: string, changedInPlace?: readonly object[]): Promise<void> {
    const open = this.get(section);
    this.changed(open);
    if (!open.writer) {
      // the executor runs now, on the data as committed; a failed check rejects
      return new Promise((resolve) => {
        open.memoryCheck?.commit(section, open.db.data, changedInPlace);
        resolve();
      });
    }
    open.file!.changes.note(changedInPlace);
    return open.writer.request().then(() => this.compactWhenIdle(open));
  }

  private compactWhenIdle(open: OpenSection): void {
    if (!open.file!.hasLog) return;
    if (open.compaction) {
      open.compaction.refresh();
      return;
    }
    open.compaction = setTimeout(() => {
      open.compaction = null;
      // a failure here is met again, and reported, by the next commit's write
      this.compact(open).catch(() => undefined);
    }, this.options.compactWhenIdleMs ?? COMPACT_WHEN_IDLE_MS).unref();
  }

  private async compact(open: OpenSection): Promise<void> {
    if (!open.file?.hasLog) return;
    open.file.changes.wholeNext();
    await open.writer!.request();
  }

  /** A number that moves whenever the section is committed or replaced. */
  version(section: string): number {
    return this.get(section).version;
  }

  /**
   * A value computed from a section's data (an index, a serialised answer),
   * built once and reused until the section is next committed or replaced.
   * Mutate, then commit in the same tick, so nothing reads a stale value.
   */
  derived<T>(section: string, key: string, build: () => T): T {
    const { derived } = this.get(section);
    if (derived.has(key)) return derived.get(key) as T;
    const value = build();
    if (derived.size >= MAX_DERIVED) derived.delete(derived.keys().next().value!);
    derived.set(key, value);
    return value;
  }

  private changed(open: OpenSection): void {
    open.version += 1;
    open.derived.clear();
  }

  /** Swap a whole section (reset, snapshot restore) and persist it. */
  async replace(section: string, data: Collections): Promise<void> {
    const open = this.get(section);
    open.db.data = data;
    this.changed(open);
    for (const listener of this.replaced) listener(section);
    await this.commit(section);
  }

  /** Models that keep indexes or caches rebuild them when a section is swapped whole. */
  onReplace(listener: (section: string) => void): () => void {
    this.replaced.add(listener);
    return () => this.replaced.delete(listener);
  }

  /** Back to the fixtures (optionally with another faker seed), every section or the ones named. */
  async reset(
    seed: number = this.seedValue,
    sections: readonly string[] = this.sectionNames(),
  ): Promise<void> {
    this.seedValue = seed;
    await Promise.all(sections.map((name) => this.replace(name, this.seeded(this.get(name).section))));
  }

  blobDir(section: string): string {
    return path.join(this.blobRoot, section);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.open.values()].map((o) => o.writer?.idle() ?? Promise.resolve()));
  }

  /** Waits for pending writes and leaves each section as one plain JSON file. */
  async close(): Promise<void> {
    await this.flush();
    for (const open of this.open.values()) {
      if (open.compaction) clearTimeout(open.compaction);
      open.compaction = null;
      await this.compact(open);
    }
    if (!this.persistent) rmSync(this.blobRoot, { recursive: true, force: true });
  }

  private get(section: string): OpenSection {
    const open = this.open.get(section);
    if (!open) throw new Error(`unknown store section '${section}'`);
    return open;
  }

  private seeded(section: StoreSection): Collections {
    return section.seed(seedContext(this.options.fixturesDir, section.name, this.seedValue));
  }

  private async load(section: StoreSection): Promise<void> {
    const file = this.fileOf(section.name);
    if (!file) {
      const db = new Low<Collections>(new Memory(), {});
      db.data = this.seeded(section);
      this.open.set(section.name, {
        section,
        db,
        file: null,
        writer: null,
        memoryCheck: this.checkLog ? new MemoryCheck() : null,
        compaction: null,
        version: 0,
        derived: new Map(),
      });
      return;
    }
    const adapter = new LoggedJsonFile(file, {
      validate: (data) => shapeProblem(section, data),
      check: this.checkLog,
    });
    const existing = await adapter.read();
    const db = new Low<Collections>(adapter, existing ?? this.seeded(section));
    const writer = new CoalescingWriter(() => db.write());
    this.open.set(section.name, {
      section,
      db,
      file: adapter,
      writer,
      memoryCheck: null,
      compaction: null,
      version: 0,
      derived: new Map(),
    });
    // a fresh section, or one whose log was just replayed, starts as one snapshot
    if (!existing || adapter.hasLog) await writer.request();
  }
}

function shapeProblem(section: StoreSection, data: unknown): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return `it holds no JSON object (expected the '${section.name}' collections)`;
  }
  for (const name of section.collections) {
    if (!Array.isArray((data as Record<string, unknown>)[name])) {
      return `its collection '${name}' is missing or not an array`;
    }
  }
  return null;
}
