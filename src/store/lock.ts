import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreError } from './errors.js';

/** Another live process has the store directory: two writers would lose each other's acknowledged writes. */
export class StoreLockedError extends StoreError {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    const where =
      holder.hostname !== os.hostname()
        ? ` on host ${holder.hostname}`
        : holder.pid === process.pid
          ? ', this very process'
          : '';
    super(
      lockFile,
      `The store directory ${path.dirname(lockFile)} is in use by another mock server (pid ${holder.pid}${where}). ` +
        `Stop that process, or give this one another --store (or --store :memory:); ` +
        `if no such process runs, delete ${lockFile}.`,
    );
    this.name = 'StoreLockedError';
  }
}

export interface LockHolder {
  pid: number;
  hostname: string;
}

/** Locks this process holds, by lock file: released on close, or at the latest when the process exits. */
const held = new Set<string>();
let exitHook = false;

/**
 * Takes `<dir>/.lock` for this process. The file appears whole or not at
 * all (written under a private name, then hard-linked into place, which
 * fails if it exists), so a reader never sees an empty lock. A lock whose
 * process is gone (a crash, kill -9, or a container restarted with the same
 * pid and host) is taken over; a live holder is a StoreLockedError naming it.
 * Returns the release, which removes the file only while it is still ours.
 */
export function lockStoreDirectory(dir: string): () => void {
  const lockFile = path.join(path.resolve(dir), '.lock');
  const mine: LockHolder = { pid: process.pid, hostname: os.hostname() };
  const text = `${JSON.stringify(mine)}\n`;
  if (held.has(lockFile)) throw new StoreLockedError(lockFile, mine);
  const temp = `${lockFile}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, lockFile);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
      }
      const found = readLock(lockFile);
      if (found === 'gone') continue;
      if (found !== 'unreadable' && isAlive(found)) throw new StoreLockedError(lockFile, found);
      removeIfUnchanged(lockFile, found);
    }
  } finally {
    unlinkSync(temp);
  }
  held.add(lockFile);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const file of held) {
        try {
          removeIfUnchanged(file, mine);
        } catch {
          /* exiting anyway: a lock left behind names a dead pid and is taken over */
        }
      }
    });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(lockFile);
    removeIfUnchanged(lockFile, mine);
  };
}

function readLock(lockFile: string): LockHolder | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(value.pid) && typeof value.hostname === 'string')
      return { pid: value.pid!, hostname: value.hostname };
  } catch {
    /* below */
  }
  // a pid alone (as other tools write it) still counts
  return /^\d+\s*$/.test(text) ? { pid: Number(text), hostname: os.hostname() } : 'unreadable';
}

/** A holder on another host cannot be checked, so it counts as alive. */
function isAlive(holder: LockHolder): boolean {
  if (holder.hostname !== os.hostname()) return true;
  // this pid, but not held here: a previous run with the same pid (a restarted container)
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfUnchanged(lockFile: string, expected: LockHolder | 'unreadable'): void {
  const now = readLock(lockFile);
  if (now === 'gone') return;
  if (
    expected === 'unreadable'
      ? now !== 'unreadable'
      : now === 'unreadable' || now.pid !== expected.pid || now.hostname !== expected.hostname
  )
    return;
  try {
    unlinkSync(lockFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
