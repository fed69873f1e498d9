import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SectionArrays, Store } from '../store/store.js';
import { badRequest, notFound } from './errors.js';

export interface SnapshotInfo {
  name: string;
  createdAt: string;
  /** Records per section at the time it was taken. */
  records: Record<string, number>;
}

interface Snapshot extends SnapshotInfo {
  sections: Record<string, SectionArrays>;
  /** Copy of the blob directory (image data), if the store had one. */
  blobs: string | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Named copies of a whole store, kept in memory (image data in a temporary
 * directory) for the life of the server. Restoring swaps every section with
 * `store.replace`, so models rebuild their indexes.
 */
export class Snapshots {
  private readonly saved = new Map<string, Snapshot>();
  private dir: string | null = null;

  constructor(private readonly store: Store) {}

  list(): SnapshotInfo[] {
    return [...this.saved.values()].map(info);
  }

  async save(name: string): Promise<SnapshotInfo> {
    if (!NAME.test(name)) {
      throw badRequest(
        `snapshot name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    await this.store.flush();
    const sections: Record<string, SectionArrays> = {};
    const records: Record<string, number> = {};
    for (const section of this.store.sectionNames()) {
      const data = this.store.data(section);
      sections[section] = structuredClone(data) as SectionArrays;
      records[section] = Object.values(data).reduce((n, c) => n + c.length, 0);
    }
    this.drop(name);
    const blobs = this.copyBlobs(name);
    const snapshot: Snapshot = { name, createdAt: new Date().toISOString(), records, sections, blobs };
    this.saved.set(name, snapshot);
    return info(snapshot);
  }

  async restore(name: string): Promise<SnapshotInfo> {
    const snapshot = this.saved.get(name);
    if (!snapshot) throw notFound(`no snapshot '${name}'`);
    // the store freezes what it takes: a fresh copy each time, so a snapshot can be restored again and again;
    // replacing a section removes its records' files at once, and the snapshot's copy then takes their place
    const writes = Object.entries(snapshot.sections).map(([section, data]) =>
      this.store.replace(section, structuredClone(data)),
    );
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

const info = (s: Snapshot): SnapshotInfo => ({ name: s.name, createdAt: s.createdAt, records: s.records });
