import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * A store that cannot be used as it is: one line naming the file or
 * directory, what is wrong and the fix. The CLI prints it and exits 2,
 * never with a stack trace.
 */
export class StoreError extends Error {
  constructor(
    /** The file (or directory) at fault. */
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export class StoreLoadError extends StoreError {
  constructor(file: string, reason: string) {
    super(
      file,
      `Cannot load the store file ${file}: ${reason}. ` +
        'The file was left untouched. Fix it by hand, move it away (the mock then re-seeds it from fixtures/), ' +
        'or start with MOCK_STORE=:memory: to run without it.',
    );
    this.name = 'StoreLoadError';
  }
}

/** The store directory (or a file in it) cannot be created or written. */
export class StoreDirectoryError extends StoreError {
  constructor(dir: string, reason: string, fix: string) {
    super(dir, `Cannot use the store directory ${dir}: ${reason}. ${fix}`);
    this.name = 'StoreDirectoryError';
  }
}

const ACCESS_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * A failed file system call on the store directory as a StoreDirectoryError
 * when the cause is the directory itself (not writable, not a directory,
 * full); anything else is returned as it was.
 */
export function directoryProblem(dir: string, err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  const where = e.path ? ` (${e.code} on ${e.path})` : e.code ? ` (${e.code})` : '';
  const elsewhere = 'give --store (MOCK_STORE) another directory, or :memory: to keep nothing on disk';
  if (e.code !== undefined && ACCESS_CODES.has(e.code)) {
    const who = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '';
    const readOnly =
      e.code === 'EROFS' ? 'it is on a read-only file system' : `this user${who} cannot write there`;
    return new StoreDirectoryError(dir, `${readOnly}${where}`, `Make it writable, or ${elsewhere}.`);
  }
  if (e.code === 'EEXIST' || e.code === 'ENOTDIR') {
    const file = fileOnPath(dir);
    const which = file === dir ? 'it' : `${file}, on its path,`;
    return new StoreDirectoryError(
      dir,
      `${which} is a file, not a directory`,
      `Move the file away, or ${elsewhere}.`,
    );
  }
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
    return new StoreDirectoryError(dir, `the disk is full${where}`, `Free some space, or ${elsewhere}.`);
  }
  return err;
}

/** The nearest existing path at or above `dir` that is not a directory (dir itself when none is found). */
function fileOnPath(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      if (!statSync(at).isDirectory()) return at;
    } catch {
      /* not there: look further up */
    }
    if (path.dirname(at) === at) return dir;
  }
}
