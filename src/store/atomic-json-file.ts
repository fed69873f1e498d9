import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

export class StoreLoadError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `Cannot load the store file ${file}: ${reason}.\n` +
        'The file was left untouched. Fix it by hand, move it away (the mock then re-seeds it from fixtures/), ' +
        'or start with MOCK_STORE=:memory: to run without it.',
    );
    this.name = 'StoreLoadError';
  }
}

let tempCounter = 0;

/**
 * A lowdb adapter whose writes are atomic and durable: the JSON goes to a
 * temporary file in the same directory, is fsynced, and then renamed over the
 * old file (rename is atomic on POSIX), and the directory is fsynced so the
 * rename itself survives a power cut. A crash at any point leaves either the
 * old or the new file, never a torn one.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly validate: (data: unknown) => string | null,
  ) {}

  async read(): Promise<T | null> {
    const text = await this.readText();
    return text === null ? null : this.parse(text);
  }

  async readText(): Promise<string | null> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StoreLoadError(this.file, `it cannot be read (${(err as Error).message})`);
    }
  }

  parse(text: string): T {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new StoreLoadError(this.file, `it is not valid JSON (${(err as Error).message})`);
    }
    const problem = this.validate(data);
    if (problem) throw new StoreLoadError(this.file, problem);
    return data as T;
  }

  async write(data: T): Promise<void> {
    await this.writeText(JSON.stringify(data));
  }

  async writeText(text: string): Promise<void> {
    const dir = path.dirname(this.file);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${path.basename(this.file)}.${process.pid}.${++tempCounter}.tmp`);
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await syncDirectory(dir);
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  // Directory fsync is what makes the rename durable; some filesystems refuse
  // it (EINVAL/EISDIR), and there the rename is as durable as it gets.
  // Asynchronous, so a slow disk stalls only this write, not every request.
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
