import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * The files a collection's records own beside the store: in each declared
 * area (a folder under the section's blob directory, '' for the directory
 * itself) at most one file per record, named by its id. The collection
 * calls this as records leave it, so bytes go with their record on every
 * path (an API or admin delete, a reset, a snapshot restore, emptying the
 * collection); removal is synchronous, in the same tick as the in-memory
 * change, so a write that follows cannot be overtaken by it. Names starting
 * with '.' (an upload's temporary file) and folders are never touched.
 */
export class BlobFiles {
  constructor(
    /** The section's blob directory, or null while it does not exist (nothing to remove). */
    private readonly dir: () => string | null,
    private readonly areas: readonly string[],
    private readonly warn: (message: string) => void,
  ) {}

  /** Removes the files of one record. */
  removeOf(id: string): void {
    const dir = this.dir();
    // an id that is no plain file name never named a file here
    if (!dir || path.basename(id) !== id || id.startsWith('.')) return;
    for (const area of this.areas) this.rm(path.join(dir, area, id));
  }

  /** Removes every file whose record the collection no longer holds. */
  keepOnly(held: (id: string) => boolean): void {
    const dir = this.dir();
    if (!dir) return;
    for (const area of this.areas) {
      let entries;
      try {
        entries = readdirSync(path.join(dir, area), { withFileTypes: true });
      } catch {
        continue; // no such folder: nothing stored there yet
      }
      for (const entry of entries) {
        if (entry.isFile() && !entry.name.startsWith('.') && !held(entry.name)) {
          this.rm(path.join(dir, area, entry.name));
        }
      }
    }
  }

  private rm(file: string): void {
    try {
      rmSync(file, { force: true });
    } catch (err) {
      // the record is gone already; a file left behind is worth a word, not a failed write
      this.warn(`could not remove ${file}: ${(err as Error).message}`);
    }
  }
}
