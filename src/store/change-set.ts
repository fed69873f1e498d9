import { applyOps, type Collections, diffCollection, groupLine, type LogOp } from './section-log.js';

/**
 * What changed in a section since its last write, as log operations. Records
 * inserted or removed are found by comparing identities with the records as
 * last written; records changed in place must be named (`note`).
 */
export class ChangeSet {
  private written: Map<string, unknown[]> | null = null;
  private inPlace = new Set<unknown>();
  private whole = true;

  /** `undefined`: anything may have changed, only the whole section describes it. */
  note(changedInPlace: readonly unknown[] | undefined): void {
    if (changedInPlace === undefined) this.whole = true;
    else for (const record of changedInPlace) this.inPlace.add(record);
  }

  wholeNext(): void {
    this.whole = true;
  }

  /**
   * The changes since the last take (null: write the whole section), taken
   * as written; `undo` if writing them fails, and the next take is whole.
   */
  take(data: Collections): { ops: LogOp[] | null; undo: () => void } {
    const ops = this.whole ? null : this.diff(data);
    this.inPlace = new Set();
    this.whole = false;
    this.written = new Map(Object.entries(data).map(([name, records]) => [name, records.slice()]));
    return {
      ops,
      undo: () => {
        this.whole = true;
      },
    };
  }

  private diff(data: Collections): LogOp[] | null {
    const written = this.written;
    const names = Object.keys(data);
    if (!written || names.length !== written.size) return null;
    const ops: LogOp[] = [];
    for (const name of names) {
      const before = written.get(name);
      const after = data[name];
      if (!before || !Array.isArray(after)) return null;
      const own = diffCollection(name, before, after, this.inPlace);
      if (own === null) return null;
      ops.push(...own);
    }
    return ops;
  }
}

/**
 * Replays every logged change on a copy of what was last written in full and
 * compares the result with the live data, so a record changed in place but
 * not named fails its commit (in tests) instead of going missing after a
 * restart. Costs two serialisations of the section per write.
 */
export class ReplayCheck {
  private replica: Collections | null = null;

  /** The section was just written whole. */
  restart(text: string): void {
    this.replica = JSON.parse(text) as Collections;
  }

  verify(section: string, ops: readonly LogOp[], data: Collections): void {
    if (!this.replica) return;
    // through the log's own text, exactly as a restart would read it
    applyOps(this.replica, (JSON.parse(groupLine(ops)) as { ops: LogOp[] }).ops);
    if (JSON.stringify(this.replica) === JSON.stringify(data)) return;
    this.replica = null;
    throw new Error(
      `store check: replaying the logged changes of '${section}' does not give the live data; ` +
        'a record was changed in place without being named to commit()',
    );
  }
}

/** A section kept only in memory, checked as if each commit were logged: for tests. */
export class MemoryCheck {
  private readonly changes = new ChangeSet();
  private readonly check = new ReplayCheck();

  commit(section: string, data: Collections, changedInPlace: readonly unknown[] | undefined): void {
    this.changes.note(changedInPlace);
    const { ops, undo } = this.changes.take(data);
    try {
      if (ops === null) this.check.restart(JSON.stringify(data));
      else this.check.verify(section, ops, data);
    } catch (err) {
      undo();
      throw err;
    }
  }
}
