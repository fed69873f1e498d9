import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Op } from './collection.js';
import { StoreLoadError } from './errors.js';
import {
  applyPositional,
  groupLine,
  headerLine,
  isPositional,
  LogProblem,
  readGroups,
  type SectionArrays,
  snapshotId,
} from './section-log.js';

export { StoreLoadError } from './errors.js';

/** Below this, a log is never worth folding into the snapshot on size alone. */
const MIN_LOG_BYTES = 1024 * 1024;

/** What a section file held: the snapshot with the log's changes, those the collections apply still apart. */
export interface LoadedSection {
  data: SectionArrays;
  /** The log's changes by id, for the collections to replay (a log of an older mock is already in `data`). */
  changes: Op[];
  /** Whether a log was read: the section then starts over as one snapshot. */
  hadLog: boolean;
}

/**
 * A section's files: the lowdb JSON snapshot (`<section>.json`) and beside
 * it a log of the changes since (`<section>.json.log`).
 *
 * Why a log at all: rewriting the whole snapshot on every durable write
 * gave 743 CloudMC and 495 Glance creates a second at 10,000 images, each
 * write serialising megabytes; appending one fsynced line per group commit
 * gives 4,110 and 2,380 (docs/performance.md). The log is folded into a new
 * snapshot when it outgrows the snapshot, when writes pause, and on close.
 *
 * The snapshot is lowdb's: its DataFile writes through steno (a temporary
 * file renamed over the old one, so a reader never sees half a file). What
 * lowdb leaves out is durability, so after the rename the new file and its
 * directory are fsynced before the old log, which the snapshot now holds, is
 * removed. Loading applies the log, so a restart after kill -9 has every
 * acknowledged write.
 */
export class SectionFile {
  readonly logFile: string;
  private readonly db: Low<SectionArrays>;
  /** The text lowdb last read or wrote, kept only until its hash is taken. */
  private text: string | null = null;
  /** The snapshot a new log continues; null forces a snapshot. */
  private base: string | null = null;
  private snapshotBytes = 0;
  private logBytes = 0;

  constructor(
    readonly file: string,
    private readonly validate: (data: unknown) => string | null,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.logFile = `${file}.log`;
    this.db = new Low(
      new DataFile<SectionArrays>(file, {
        parse: (text) => this.parse(text),
        stringify: (data) => (this.text = JSON.stringify(data)),
      }),
      {},
    );
  }

  get hasLog(): boolean {
    return this.logBytes > 0;
  }

  /** Whether the next write must be a whole snapshot (no known base, or a log larger than the snapshot). */
  get wantsSnapshot(): boolean {
    return this.base === null || this.logBytes > Math.max(MIN_LOG_BYTES, this.snapshotBytes);
  }

  /** What the files hold, or null when there is no snapshot yet (a log without one belongs to nothing). */
  async load(): Promise<LoadedSection | null> {
    try {
      this.db.data = {};
      this.text = null;
      await this.db.read();
    } catch (err) {
      if (err instanceof StoreLoadError) throw err;
      throw new StoreLoadError(this.file, `it cannot be read (${(err as Error).message})`);
    }
    const text = this.text as string | null;
    this.text = null;
    if (text === null) {
      await rm(this.logFile, { force: true });
      return null;
    }
    const data = this.db.data;
    this.db.data = {};
    this.base = snapshotId(text);
    this.snapshotBytes = text.length;
    const logText = await readFile(this.logFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw new StoreLoadError(this.logFile, `it cannot be read (${err.message})`);
    });
    this.logBytes = logText.length;
    const changes: Op[] = [];
    try {
      const groups = readGroups(logText, text);
      const torn = logText.slice(logText.lastIndexOf('\n') + 1);
      // a torn line in a log of an older snapshot goes with the rest of that log, unread
      if (torn !== '' && (groups !== null || !logText.includes('\n'))) {
        this.warn(
          `store log ${this.logFile}: dropped its last line, cut short by a crash while it was written ` +
            `(${Buffer.byteLength(torn)} bytes; that write was never acknowledged)`,
        );
      }
      for (const group of groups ?? []) {
        if (group.every(isPositional)) applyPositional(data, group);
        else changes.push(...(group as Op[]));
      }
    } catch (err) {
      throw err instanceof LogProblem ? new StoreLoadError(this.logFile, err.message) : err;
    }
    const problem = this.validate(data);
    if (problem) throw new StoreLoadError(this.logFile, `applied to the snapshot, ${problem}`);
    return { data, changes, hadLog: logText.length > 0 };
  }

  /** The whole section as one new snapshot; the log it replaces is removed once the snapshot is durable. */
  async writeSnapshot(data: SectionArrays): Promise<void> {
    try {
      this.db.data = data;
      await this.db.write();
      await syncFile(this.file);
      await syncDirectory(path.dirname(this.file));
      // A log still naming the old snapshot is ignored at load, so a crash before this removal loses nothing.
      if (this.logBytes > 0) {
        await rm(this.logFile, { force: true });
        this.logBytes = 0;
      }
      const text = this.text!;
      this.snapshotBytes = text.length;
      this.base = snapshotId(text);
    } catch (err) {
      this.base = null;
      throw err;
    } finally {
      this.db.data = {};
      this.text = null;
    }
  }

  /** One group commit's changes as one fsynced line. */
  async append(ops: readonly Op[]): Promise<void> {
    const creating = this.logBytes === 0;
    const text = (creating ? headerLine(this.base!) : '') + groupLine(ops);
    try {
      const handle = await open(this.logFile, creating ? 'w' : 'a');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.datasync();
      } finally {
        await handle.close();
      }
      if (creating) await syncDirectory(path.dirname(this.logFile));
    } catch (err) {
      // what reached the disk is unknown: the next write starts over from a snapshot
      this.base = null;
      throw err;
    }
    this.logBytes += text.length;
  }

  private parse(text: string): SectionArrays {
    this.text = text;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new StoreLoadError(this.file, `it is not valid JSON (${(err as Error).message})`);
    }
    const problem = this.validate(data);
    if (problem) throw new StoreLoadError(this.file, problem);
    return data as SectionArrays;
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  // Directory fsync is what makes the rename durable; some filesystems refuse
  // it (EINVAL/EISDIR), and there the rename is as durable as it gets.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
