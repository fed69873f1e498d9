import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BlobFiles } from './blob-files.js';
import { CoalescingWriter } from './coalescing-writer.js';
import { Collection, type CollectionSpec, type Op, RecordProblem } from './collection.js';
import { directoryProblem, StoreError } from './errors.js';
import type { Frozen } from './frozen.js';
import { lockStoreDirectory } from './lock.js';
import { SectionFile, StoreLoadError } from './section-file.js';
import type { SectionArrays } from './section-log.js';
import type { SeedContext } from './seed-context.js';
import { seedLive, snapshotSeed } from './seed-snapshot.js';

export type { SectionArrays } from './section-log.js';

/** What a provider keeps in the store: named collections, each with its id and indexes, seeded from fixtures. */
export interface StoreSection<D extends SectionData = SectionData> {
  name: string;
  collections: { [K in keyof D & string]: CollectionSpec<D[K][number]> };
  seed(ctx: SeedContext): { [K in keyof D]: D[K][number][] };
}

/** A section as `data()` shows it: every collection's records, read-only. */
export type SectionView = Readonly<Record<string, readonly unknown[]>>;

/** A section's record types by collection name (for typing `collection()` and `data()`). */
export type SectionData = Record<string, object[]>;

export interface StoreOptions {
  /** Directory for `<section>.json` files, or ':memory:'. */
  location: string;
  sections: readonly StoreSection[];
  seed: number;
  fixturesDir: string;
  /** Quiet time after which a section's log is folded into its snapshot. */
  compactWhenIdleMs?: number;
  /** Told what loading repaired (a torn last log line) or a blob file that could not be removed; a process warning by default. */
  warn?: (message: string) => void;
  /**
   * Take `<location>/.lock` while open (default true): a second store on the
   * same directory, in this process or another, is refused with a
   * StoreLockedError naming the holder. Only tests that open a directory a
   * second time to play a restart after kill -9 turn it off.
   */
  lock?: boolean;
}

const COMPACT_WHEN_IDLE_MS = 500;

export const MEMORY = ':memory:';

/**
 * One section: its collections and, on disk, the group commit that makes
 * their changes durable. Every write of a collection lands here as log
 * operations; the writes of one tick share one line and one fsync.
 */
class OpenSection {
  readonly collections = new Map<string, Collection>();
  private pending: Op[] = [];
  private foldNext = false;
  private readonly writer: CoalescingWriter | null;
  /** Folds the log into the snapshot once writes pause, so the JSON file is current for a reader. */
  private compaction: NodeJS.Timeout | null = null;

  constructor(
    readonly section: StoreSection,
    readonly file: SectionFile | null,
    private readonly idleMs: number,
    blobDir: () => string | null,
    warn: (message: string) => void,
  ) {
    this.writer = file ? new CoalescingWriter(() => this.flush()) : null;
    for (const [name, spec] of Object.entries(section.collections)) {
      const blobs = spec.blobAreas ? new BlobFiles(blobDir, spec.blobAreas, warn) : null;
      this.collections.set(name, new Collection(section.name, name, spec, (ops) => this.submit(ops), blobs));
    }
  }

  /** Each collection's records as the snapshot file holds them. */
  arrays(): SectionArrays {
    const out: SectionArrays = {};
    for (const [name, collection] of this.collections) out[name] = collection.all() as unknown[];
    return out;
  }

  load(data: SectionArrays): void {
    for (const [name, collection] of this.collections) collection.load(data[name] ?? []);
  }

  replay(changes: readonly Op[]): void {
    for (const op of changes) {
      const collection = this.collections.get(op.c);
      if (!collection) throw new RecordProblem(`it changes a collection '${op.c}' the section does not have`);
      collection.replay(op);
    }
  }

  /** Removes the files no record owns any more (left by a crash, or by a version that kept them). */
  pruneBlobs(): void {
    for (const collection of this.collections.values()) collection.pruneBlobs();
  }

  /** Resolves once the operations are durable (at once in memory). */
  submit(ops: readonly Op[]): Promise<void> {
    if (!this.writer) return Promise.resolve();
    this.pending.push(...ops);
    return this.writer.request().then(() => this.compactWhenIdle());
  }

  /** A whole snapshot now (start-up, close, idle). */
  snapshot(): Promise<void> {
    if (!this.writer) return Promise.resolve();
    this.foldNext = true;
    return this.writer.request();
  }

  async flush(): Promise<void> {
    // the other writes of the caller's tick join this group (a delete and its memberships: one line)
    await Promise.resolve();
    const ops = this.pending;
    this.pending = [];
    const file = this.file!;
    const whole = this.foldNext || file.wantsSnapshot || ops.some((op) => 'all' in op);
    this.foldNext = false;
    if (whole) await file.writeSnapshot(this.arrays());
    else if (ops.length > 0) await file.append(ops);
  }

  idle(): Promise<void> {
    return this.writer?.idle() ?? Promise.resolve();
  }

  stopCompaction(): void {
    if (this.compaction) clearTimeout(this.compaction);
    this.compaction = null;
  }

  private compactWhenIdle(): void {
    if (!this.file?.hasLog) return;
    if (this.compaction) {
      this.compaction.refresh();
      return;
    }
    this.compaction = setTimeout(() => {
      this.compaction = null;
      // a failure here is met again, and reported, by the next write
      if (this.file?.hasLog) this.snapshot().catch(() => undefined);
    }, this.idleMs).unref();
  }
}

/**
 * The mock's state: one section per provider, each a set of collections
 * (see Collection) kept in memory and, unless in memory only, on disk as a
 * lowdb JSON snapshot plus a log of the changes since (see SectionFile).
 * Nothing outside this folder changes a record: every write is a
 * collection call, which resolves once the change is durable.
 */
export class Store {
  private readonly open = new Map<string, OpenSection>();
  private seedValue: number;
  /** An in-memory store's blob directory: made on first use, removed by close(). */
  private tempBlobRoot: string | null = null;
  private closed = false;
  private unlock: () => void = () => undefined;

  private constructor(private readonly options: StoreOptions) {
    this.seedValue = options.seed;
  }

  /**
   * Where image data lives: `<store>/blobs`, or for an in-memory store a
   * temporary directory made when something first asks for it (most never
   * store a byte) and removed by close().
   */
  get blobRoot(): string {
    if (this.persistent) return path.resolve(this.options.location, 'blobs');
    if (this.tempBlobRoot) return this.tempBlobRoot;
    if (this.closed) throw new Error('the store is closed');
    return (this.tempBlobRoot = mkdtempSync(path.join(os.tmpdir(), 'image-api-mocks-')));
  }

  /** Whether the blob directory exists (without making an in-memory store's). */
  hasBlobRoot(): boolean {
    return this.persistent || this.tempBlobRoot ? existsSync(this.blobRoot) : false;
  }

  static async open(options: StoreOptions): Promise<Store> {
    const store = new Store(options);
    const dir = path.resolve(options.location);
    if (store.persistent) {
      try {
        await mkdir(dir, { recursive: true });
        if (options.lock !== false) store.unlock = lockStoreDirectory(dir);
      } catch (err) {
        throw directoryProblem(dir, err);
      }
    }
    try {
      for (const section of options.sections) {
        await store.load(section);
      }
    } catch (err) {
      store.unlock();
      throw err instanceof StoreError || !store.persistent ? err : directoryProblem(dir, err);
    }
    return store;
  }

  get persistent(): boolean {
    return this.options.location !== MEMORY;
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

  /** One collection of a section: the only way to read or change its records. */
  collection<R extends object>(section: string, name: string): Collection<R> {
    const collection = this.get(section).collections.get(name);
    if (!collection) throw new Error(`store section '${section}' has no collection '${name}'`);
    return collection as unknown as Collection<R>;
  }

  /** The collections of a section by name, in declared order. */
  collections(section: string): ReadonlyMap<string, Collection> {
    return this.get(section).collections;
  }

  /** A read-only view of a section's records (for inspection: tests, snapshots, the banner). */
  data<D extends SectionData = SectionData>(section: string): Frozen<D> {
    return Object.freeze(this.get(section).arrays()) as unknown as Frozen<D>;
  }

  /**
   * Swaps a whole section (reset, snapshot restore, import) as one durable
   * write. Memory changes, and the old records' files go, before it returns:
   * the promise only waits for durability.
   */
  async replace(section: string, data: Readonly<Record<string, readonly unknown[]>>): Promise<void> {
    const open = this.get(section);
    await Promise.all(
      [...open.collections].map(([name, collection]) =>
        collection.replaceAll((data[name] ?? []) as object[]),
      ),
    );
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

  /** A section's blob directory if the store may have one (an in-memory store makes its own on first use). */
  private existingBlobDir(section: string): string | null {
    return this.persistent || this.tempBlobRoot ? path.join(this.blobRoot, section) : null;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.open.values()].map((o) => o.idle()));
  }

  /** Waits for pending writes and leaves each section as one plain JSON file. */
  async close(): Promise<void> {
    await this.flush();
    for (const open of this.open.values()) {
      open.stopCompaction();
      if (open.file?.hasLog) await open.snapshot();
    }
    this.closed = true;
    if (this.tempBlobRoot) rmSync(this.tempBlobRoot, { recursive: true, force: true });
    this.tempBlobRoot = null;
    this.unlock();
  }

  private get(section: string): OpenSection {
    const open = this.open.get(section);
    if (!open) throw new Error(`unknown store section '${section}'`);
    return open;
  }

  private seeded(section: StoreSection): SectionArrays {
    const { fixturesDir } = this.options;
    return (
      snapshotSeed(section.name, fixturesDir, this.seedValue) ??
      seedLive(section, fixturesDir, this.seedValue)
    );
  }

  private async load(section: StoreSection): Promise<void> {
    const fileName = this.fileOf(section.name);
    const warn = this.options.warn ?? ((message: string) => process.emitWarning(message, 'StoreWarning'));
    const file = fileName ? new SectionFile(fileName, (data) => shapeProblem(section, data), warn) : null;
    const open = new OpenSection(
      section,
      file,
      this.options.compactWhenIdleMs ?? COMPACT_WHEN_IDLE_MS,
      () => this.existingBlobDir(section.name),
      warn,
    );
    const loaded = file ? await file.load() : null;
    try {
      open.load(loaded?.data ?? this.seeded(section));
    } catch (err) {
      if (err instanceof RecordProblem && file) throw new StoreLoadError(file.file, err.message);
      throw err;
    }
    try {
      open.replay(loaded?.changes ?? []);
    } catch (err) {
      if (err instanceof RecordProblem && file) throw new StoreLoadError(file.logFile, err.message);
      throw err;
    }
    open.pruneBlobs();
    this.open.set(section.name, open);
    // a fresh section, or one whose log was just replayed, starts as one snapshot
    if (file && (!loaded || loaded.hadLog)) await open.snapshot();
  }
}

function shapeProblem(section: StoreSection, data: unknown): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return `it holds no JSON object (expected the '${section.name}' collections)`;
  }
  for (const name of Object.keys(section.collections)) {
    if (!Array.isArray((data as Record<string, unknown>)[name])) {
      return `its collection '${name}' is missing or not an array`;
    }
  }
  return null;
}
