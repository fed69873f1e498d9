import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Low, Memory } from 'lowdb';
import { AtomicJsonFile } from './atomic-json-file.js';
import { CoalescingWriter } from './coalescing-writer.js';
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
}

interface OpenSection {
  section: StoreSection;
  db: Low<Collections>;
  writer: CoalescingWriter | null;
  /** Moves on every commit and replace: what was derived from an older version is stale. */
  version: number;
  derived: Map<string, unknown>;
}

/** Derived values kept per section before the oldest are dropped (bounds memory when keys vary, e.g. per id). */
const MAX_DERIVED = 10_000;

export const MEMORY = ':memory:';

/**
 * One lowdb database per provider section. Reads touch only memory; a
 * mutation is followed by `commit(section)`, which resolves once the change
 * is durably on disk (writes close together share one file write).
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

  commit(section: string): Promise<void> {
    const open = this.get(section);
    this.changed(open);
    return open.writer ? open.writer.request() : Promise.resolve();
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

  async close(): Promise<void> {
    await this.flush();
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
      this.open.set(section.name, { section, db, writer: null, version: 0, derived: new Map() });
      return;
    }
    const adapter = new AtomicJsonFile<Collections>(file, (data) => shapeProblem(section, data));
    const existing = await adapter.read();
    const db = new Low<Collections>(adapter, existing ?? this.seeded(section));
    const writer = new CoalescingWriter(() => db.write());
    this.open.set(section.name, { section, db, writer, version: 0, derived: new Map() });
    if (!existing) await writer.request();
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
