import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../../src/paths.js';
import { providers } from '../../src/providers/index.js';
import { StoreDirectoryError, StoreLoadError } from '../../src/store/errors.js';
import { snapshotId } from '../../src/store/section-log.js';
import { Store } from '../../src/store/store.js';
import { collectOutput, mainJs, runCli } from '../e2e/run-server.js';
import { afterEachTest } from '../helpers.js';

const sections = providers.map((p) => p.store);
const open = (location: string, warn?: (message: string) => void) =>
  Store.open({ location, sections, seed: 42, fixturesDir, ...(warn ? { warn } : {}) });

const { defer, temp } = afterEachTest();

/** A store directory the store has written once (every section seeded), closed again. */
async function seededDir(): Promise<string> {
  const dir = temp();
  await (await open(dir)).close();
  return dir;
}

/** What the CLI says for a store it cannot use: one line, exit code 2, no stack trace. */
async function expectOneLineRefusal(env: Record<string, string>, ...parts: string[]) {
  const { code, output } = await runCli([], env);
  expect(code, output).toBe(2);
  expect(output.trimEnd().split('\n'), output).toHaveLength(1);
  expect(output).not.toMatch(/\n\s+at |TypeError|Error:/);
  for (const part of parts) expect(output).toContain(part);
}

describe('store errors say what and where, in one line', () => {
  it('a directory this user cannot write: names the directory and the user', async () => {
    const dir = temp();
    // root may write anywhere, so as root the server runs as nobody in a directory root owns
    const asRoot = process.getuid?.() === 0;
    chmodSync(dir, asRoot ? 0o755 : 0o555);
    defer(() => chmodSync(dir, 0o755));
    const child = spawn(process.execPath, [mainJs], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', MOCK_STORE: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: path.dirname(dir),
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    const output = collectOutput(child);
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code, output()).toBe(2);
    expect(output().trimEnd().split('\n')).toHaveLength(1);
    expect(output()).toContain(`Cannot use the store directory ${dir}: this user (uid `);
    expect(output()).toContain('cannot write there (EACCES');
    expect(output()).not.toContain('cannot listen');
  });

  it('a store path that is a file, or has a file on its path', async () => {
    const dir = temp();
    const file = path.join(dir, 'data');
    writeFileSync(file, 'not a directory');
    const err = await open(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreDirectoryError);
    expect((err as Error).message).toBe(
      `Cannot use the store directory ${file}: it is a file, not a directory. ` +
        'Move the file away, or give --store (MOCK_STORE) another directory, or :memory: to keep nothing on disk.',
    );
    await expect(open(path.join(file, 'below'))).rejects.toThrow(
      `${path.join(file, 'below')}: ${file}, on its path, is a file, not a directory`,
    );
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
    await expectOneLineRefusal({ MOCK_STORE: file }, file, 'is a file, not a directory');
  });

  it('a hand-edited record that is not an object, in the snapshot or in the log', async () => {
    const dir = await seededDir();
    const file = path.join(dir, 'glance.json');
    const good = readFileSync(file, 'utf8');
    const data = JSON.parse(good) as Record<string, unknown[]>;
    data.images![0] = 5;
    writeFileSync(file, JSON.stringify(data));
    const err = await open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLoadError);
    expect((err as Error).message).toContain(`${file}: collection 'images' holds 5, not a JSON object`);
    expect((err as Error).message).not.toContain('\n');
    await expectOneLineRefusal({ MOCK_STORE: dir }, file, 'holds 5, not a JSON object');

    writeFileSync(file, good);
    const log = `${file}.log`;
    const header = JSON.stringify({ base: snapshotId(good) });
    for (const [group, reason] of [
      ['{"ops":[{"c":"images","put":5}]}', 'line 2 holds a change it cannot read'],
      ['{"ops":[{"c":"images","all":[5]}]}', 'holds 5, not a JSON object'],
      ['5', 'line 2 is not a JSON object'],
    ] as const) {
      writeFileSync(log, `${header}\n${group}\n`);
      const logErr = await open(dir).catch((e: unknown) => e);
      expect(logErr, group).toBeInstanceOf(StoreLoadError);
      expect((logErr as Error).message, group).toContain(`${log}: `);
      expect((logErr as Error).message, group).toContain(reason);
    }
  });

  it('valid JSON nested thousands of levels deep, in the snapshot or in the log: says so, naming the file', async () => {
    const dir = await seededDir();
    const file = path.join(dir, 'alliance.json');
    const good = readFileSync(file, 'utf8');
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const tooDeep = "a record of 'images' nests arrays and objects too deeply to load";
    writeFileSync(file, good.replace('"tags":[]', `"tags":${deep}`));
    const err = await open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLoadError);
    expect((err as Error).message).toContain(`${file}: ${tooDeep}`);
    expect((err as Error).message).toContain('at most 1000 levels');
    expect((err as Error).message).not.toContain('not valid JSON');
    await expectOneLineRefusal({ MOCK_STORE: dir }, file, tooDeep);

    writeFileSync(file, good);
    const log = `${file}.log`;
    const record = (JSON.parse(good) as { images: Record<string, unknown>[] }).images[0]!;
    const put = JSON.stringify({ ops: [{ c: 'images', put: { ...record, tags: [] } }] }).replace(
      '"tags":[]',
      `"tags":${deep}`,
    );
    writeFileSync(log, `${JSON.stringify({ base: snapshotId(good) })}\n${put}\n`);
    const logErr = await open(dir).catch((e: unknown) => e);
    expect(logErr).toBeInstanceOf(StoreLoadError);
    expect((logErr as Error).message).toContain(`${log}: ${tooDeep}`);
  });

  it('a torn last log line is dropped with a warning naming the log and the bytes dropped', async () => {
    const dir = temp();
    // the first store plays a process killed after its write (so no lock, and never closed)
    const crashed = {
      location: dir,
      sections,
      seed: 42,
      fixturesDir,
      compactWhenIdleMs: 60_000,
      lock: false,
    };
    const store = await Store.open(crashed);
    const images = store.collection<{ id: string }>('alliance', 'images');
    await images.remove(images.idOf(images.all()[0]!));
    const expected = JSON.stringify(store.data('alliance'));
    const log = path.join(dir, 'alliance.json.log');
    const torn = '{"ops":[{"c":"images","del":"x';
    appendFileSync(log, torn);
    const warnings: string[] = [];
    const again = await Store.open({ ...crashed, warn: (m) => warnings.push(m) });
    defer(() => again.close());
    expect(JSON.stringify(again.data('alliance'))).toBe(expected);
    expect(warnings).toEqual([
      `store log ${log}: dropped its last line, cut short by a crash while it was written ` +
        `(${Buffer.byteLength(torn)} bytes; that write was never acknowledged)`,
    ]);
  });

  it('a torn line alone (the first write of a log cut short) is dropped with a warning too', async () => {
    const dir = await seededDir();
    const log = path.join(dir, 'cloudmc.json.log');
    writeFileSync(log, '{"base":"abc');
    const warnings: string[] = [];
    const store = await open(dir, (m) => warnings.push(m));
    defer(() => store.close());
    expect(warnings).toEqual([expect.stringContaining(`store log ${log}: dropped its last line`)]);
    expect(warnings[0]).toContain('(12 bytes;');
  });

  it('no warning for a log of an older snapshot, which is ignored whole', async () => {
    const dir = await seededDir();
    const log = path.join(dir, 'cloudmc.json.log');
    writeFileSync(log, '{"base":"an-older-snapshot"}\n{"ops":[]}\n{"ops":[{"c":"im');
    const warnings: string[] = [];
    const store = await open(dir, (m) => warnings.push(m));
    defer(() => store.close());
    expect(warnings).toEqual([]);
  });
});
