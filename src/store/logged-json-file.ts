import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { AtomicJsonFile, StoreLoadError, syncDirectory } from './atomic-json-file.js';
import { ChangeSet, ReplayCheck } from './change-set.js';
import {
  applyOps,
  type Collections,
  groupLine,
  headerLine,
  type LogOp,
  LogProblem,
  readGroups,
  snapshotId,
} from './section-log.js';

/** Below this, a log is never worth folding into the snapshot on size alone. */
const MIN_LOG_BYTES = 1024 * 1024;

export interface LoggedJsonFileOptions {
  /** Shape check of the loaded data (after the log is applied). */
  validate: (data: unknown) => string | null;
  /** Replay every logged write and compare with the live data (see ReplayCheck); for tests. */
  check?: boolean;
}

/**
 * A section's file: a JSON snapshot (`<section>.json`, written atomically)
 * and beside it a log of the changes since (`<section>.json.log`). A write
 * whose changes are known appends one line and fsyncs it, so its cost
 * follows the size of the change, not of the section; the log is folded
 * into a new snapshot when it outgrows the snapshot, when asked (idle, close)
 * or when the changes are not known. Loading applies the log, so a restart
 * after kill -9 has every acknowledged write.
 */
export class LoggedJsonFile implements Adapter<Collections> {
  readonly logFile: string;
  readonly changes = new ChangeSet();
  private readonly snapshot: AtomicJsonFile<Collections>;
  private readonly check: ReplayCheck | null;
  /** The snapshot a new log continues; set by every snapshot write, so null forces one. */
  private base: string | null = null;
  private snapshotBytes = 0;
  private logBytes = 0;

  constructor(
    readonly file: string,
    private readonly options: LoggedJsonFileOptions,
  ) {
    this.logFile = `${file}.log`;
    this.snapshot = new AtomicJsonFile(file, options.validate);
    this.check = options.check ? new ReplayCheck() : null;
  }

  get hasLog(): boolean {
    return this.logBytes > 0;
  }

  async read(): Promise<Collections | null> {
    const text = await this.snapshot.readText();
    if (text === null) {
      // a log continues a snapshot; without one it belongs to nothing
      await rm(this.logFile, { force: true });
      return null;
    }
    const data = this.snapshot.parse(text);
    const logText = await readFile(this.logFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw new StoreLoadError(this.logFile, `it cannot be read (${err.message})`);
    });
    this.logBytes = logText.length;
    if (logText) {
      try {
        for (const ops of readGroups(logText, text) ?? []) applyOps(data, ops);
      } catch (err) {
        throw err instanceof LogProblem ? new StoreLoadError(this.logFile, err.message) : err;
      }
      const problem = this.options.validate(data);
      if (problem) throw new StoreLoadError(this.logFile, `applied to the snapshot, ${problem}`);
    }
    return data;
  }

  async write(data: Collections): Promise<void> {
    const { ops, undo } = this.changes.take(data);
    try {
      if (ops === null || this.base === null || this.logBytes > Math.max(MIN_LOG_BYTES, this.snapshotBytes)) {
        await this.writeSnapshot(data);
      } else {
        // checked even when there is nothing to log: an unnamed change in place shows as nothing
        this.check?.verify(path.basename(this.file), ops, data);
        if (ops.length > 0) await this.append(ops);
      }
    } catch (err) {
      // what reached the disk is unknown: the next write starts over from a snapshot
      this.base = null;
      undo();
      throw err;
    }
  }

  private async writeSnapshot(data: Collections): Promise<void> {
    const text = JSON.stringify(data);
    await this.snapshot.writeText(text);
    // The new snapshot holds everything; a log still naming the old one is
    // ignored at load, so a crash before this removal loses nothing.
    if (this.logBytes > 0) {
      await rm(this.logFile, { force: true });
      this.logBytes = 0;
    }
    this.snapshotBytes = text.length;
    this.base = snapshotId(text);
    this.check?.restart(text);
  }

  private async append(ops: LogOp[]): Promise<void> {
    const creating = this.logBytes === 0;
    const text = (creating ? headerLine(this.base!) : '') + groupLine(ops);
    const handle = await open(this.logFile, creating ? 'w' : 'a');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    if (creating) await syncDirectory(path.dirname(this.logFile));
    this.logBytes += text.length;
  }
}
