import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Store } from '../store/store.js';
import { badRequest, ControlError, notFound } from './errors.js';

export interface SnapshotInfo {
  name: string;
  createdAt: string;
  /** Records per section at the time it was taken. */
  records: Record<string, number>;
  /** What it holds against the byte budget: its records as gzipped JSON plus its copy of the image data. */
  bytes: number;
}

interface Snapshot extends SnapshotInfo {
  /**
   * Each section as gzipped JSON: a 15,000-image store is 9.6 MB of JSON,
   * 2.5 MB gzipped, where a structured clone of its records took ~15 MB of
   * heap; and the size is exact, for the budget.
   */
  sections: Map<string, Buffer>;
  /** Copy of the blob directory (image data), if the store had one. */
  blobs: string | null;
}

/** How much the snapshots of one instance may hold (config: maxSnapshots, maxSnapshotBytes). */
export interface SnapshotLimits {
  count: number;
  bytes: number;
}

// off the event loop (zlib's thread pool); level 1: most of the gain at a fraction of the time
const gzip = (json: string) => promisify(zlib.gzip)(json, { level: 1 });
const gunzip = promisify(zlib.gunzip);

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Named copies of a whole store, kept in memory (image data in a temporary
 * directory) for the life of the server, within a count and a byte budget:
 * a snapshot past the count is refused with 409, one that would take the
 * total past the bytes with 413, each saying how to make room. Restoring
 * swaps every section with `store.replace`, so models rebuild their indexes.
 */
export class Snapshots {
  private readonly saved = new Map<string, Snapshot>();
  private dir: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly limits: SnapshotLimits,
  ) {}

  list(): SnapshotInfo[] {
    return [...this.saved.values()].map(info);
  }

  async save(name: string): Promise<SnapshotInfo> {
    if (!NAME.test(name)) {
      throw badRequest(
        `snapshot name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    this.checkRoom(name, 0);
    await this.store.flush();
    // every section read in one tick, so the snapshot is one moment of the store
    const json = new Map<string, string>();
    const records: Record<string, number> = {};
    for (const section of this.store.sectionNames()) {
      const data = this.store.data(section);
      json.set(section, JSON.stringify(data));
      records[section] = Object.values(data).reduce((n, c) => n + c.length, 0);
    }
    const blobBytes = this.store.hasBlobRoot() ? sizeOf(this.store.blobRoot) : 0;
    const sections = new Map<string, Buffer>();
    for (const [section, text] of json) sections.set(section, await gzip(text));
    const bytes = [...sections.values()].reduce((n, b) => n + b.length, blobBytes);
    // again now: another snapshot may have been taken while this one was compressed
    this.checkRoom(name, bytes);
    this.drop(name);
    const blobs = this.copyBlobs(name);
    const createdAt = new Date().toISOString();
    const snapshot: Snapshot = { name, createdAt, records, bytes, sections, blobs };
    this.saved.set(name, snapshot);
    return info(snapshot);
  }

  async restore(name: string): Promise<SnapshotInfo> {
    const snapshot = this.saved.get(name);
    if (!snapshot) throw notFound(`no snapshot '${name}'`);
    const sections = await Promise.all(
      [...snapshot.sections].map(async ([section, gzipped]) => {
        const data = JSON.parse((await gunzip(gzipped)).toString()) as Record<string, unknown[]>;
        return [section, data] as const;
      }),
    );
    // from here on in one tick: replacing a section removes its records' files at once,
    // and the snapshot's copy then takes their place
    const writes = sections.map(([section, data]) => this.store.replace(section, data));
    if (this.store.hasBlobRoot()) rmSync(this.store.blobRoot, { recursive: true, force: true });
    if (snapshot.blobs) cpSync(snapshot.blobs, this.store.blobRoot, { recursive: true });
    else if (this.store.persistent) mkdirSync(this.store.blobRoot, { recursive: true });
    await Promise.all(writes);
    return info(snapshot);
  }

  delete(name: string): void {
    if (!this.saved.has(name)) throw notFound(`no snapshot '${name}'`);
    this.drop(name);
  }

  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.saved.clear();
  }

  /** Refuses a snapshot past the count (409) or one whose bytes would cross the budget (413). */
  private checkRoom(name: string, bytes: number): void {
    // a snapshot taken again under its name replaces itself: it frees its own place first
    const others = [...this.saved.values()].filter((s) => s.name !== name);
    if (others.length >= this.limits.count) {
      throw new ControlError(
        409,
        `snapshot limit reached: ${this.limits.count} snapshots (--max-snapshots, MOCK_MAX_SNAPSHOTS); ` +
          `delete one (DELETE /__admin/snapshots/<name>) or raise the limit`,
      );
    }
    const held = others.reduce((n, s) => n + s.bytes, 0);
    if (held + bytes > this.limits.bytes) {
      throw new ControlError(
        413,
        `snapshot '${name}' needs ${bytes} bytes and the other snapshots hold ${held} of the ` +
          `${this.limits.bytes}-byte budget (--max-snapshot-bytes, MOCK_MAX_SNAPSHOT_BYTES); ` +
          `delete one (DELETE /__admin/snapshots/<name>) or raise the budget`,
      );
    }
  }

  private drop(name: string): void {
    const old = this.saved.get(name);
    if (old?.blobs) rmSync(old.blobs, { recursive: true, force: true });
    this.saved.delete(name);
  }

  private copyBlobs(name: string): string | null {
    if (!this.store.hasBlobRoot()) return null;
    this.dir ??= mkdtempSync(path.join(os.tmpdir(), 'image-api-mocks-snapshots-'));
    const target = path.join(this.dir, name);
    cpSync(this.store.blobRoot, target, { recursive: true });
    return target;
  }
}

/** Bytes of every file under a directory. */
function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(path.join(e.parentPath, e.name)).size, 0);
}

const info = (s: Snapshot): SnapshotInfo => ({
  name: s.name,
  createdAt: s.createdAt,
  records: s.records,
  bytes: s.bytes,
});
