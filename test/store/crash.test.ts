import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoggedJsonFile } from '../../src/store/logged-json-file.js';
import { tempDir } from '../helpers.js';

const root = path.resolve(import.meta.dirname, '../..');

// A writer over the built store: pads the section so each write takes a while,
// then bumps a counter and commits in a loop, printing each acknowledged value.
// 'whole' commits rewrite the snapshot; 'logged' ones name their change and are
// appended to the log, with every 25th commit a whole one (a snapshot that folds
// the log), and add a record each time.
const writer = `
const { Store } = await import(${JSON.stringify(path.join(root, 'dist/store/store.js'))});
const { providers } = await import(${JSON.stringify(path.join(root, 'dist/providers/index.js'))});
const { fixturesDir } = await import(${JSON.stringify(path.join(root, 'dist/paths.js'))});
const store = await Store.open({ location: process.argv[1], sections: providers.map((p) => p.store), seed: 42, fixturesDir });
const data = store.data('cloudmc');
if (data.images.length < 5000) {
  for (let i = 0; i < 20000; i++) data.images.push({ ...data.images[0], id: 'pad/' + i, description: 'x'.repeat(40) });
}
let n = Number(data.images[0].description.match(/^counter (\\d+)$/)?.[1] ?? 0);
const logged = process.argv[2] === 'logged';
for (;;) {
  n += 1;
  data.images[0].description = 'counter ' + n;
  if (logged) data.images.push({ ...data.images[1], id: 'added/' + n });
  await (logged && n % 25 !== 0 ? store.commit('cloudmc', [data.images[0]]) : store.commit('cloudmc'));
  process.stdout.write('ack ' + n + '\\n');
}
`;

const { dir, cleanup } = tempDir('iam-crash-');
afterAll(cleanup);

function runUntilAcks(acks: number, mode: Mode): Promise<{ child: ChildProcess; lastAck: number }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', writer, dir, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let lastAck = 0;
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      for (const m of chunk.toString().matchAll(/ack (\d+)/g)) lastAck = Number(m[1]);
      if (lastAck >= acks) resolve({ child, lastAck });
    });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
  });
}

type Mode = 'whole' | 'logged';

describe('kill -9 during continuous writes', () => {
  for (const mode of ['whole', 'logged'] as const) {
    it(`never leaves a torn store and never loses an acknowledged write (${mode} commits)`, async () => {
      const cycles = 5;
      let checked = 0;
      for (let cycle = 0; cycle < cycles; cycle++) {
        const { child, lastAck } = await runUntilAcks(3 + cycle, mode);
        // Let it get into the middle of another write before killing it.
        await new Promise((r) => setTimeout(r, 5 + cycle * 7));
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
        // read as a restart reads it: the snapshot with its log applied
        const file = new LoggedJsonFile(path.join(dir, 'cloudmc.json'), { validate: () => null });
        const data = (await file.read()) as unknown as { images: { id: string; description: string }[] };
        const onDisk = Number(data.images[0]!.description.replace('counter ', ''));
        expect(onDisk).toBeGreaterThanOrEqual(lastAck);
        expect(data.images.length).toBeGreaterThan(20000);
        if (mode === 'logged') expect(data.images.some((i) => i.id === `added/${lastAck}`)).toBe(true);
        checked += lastAck;
      }
      console.log(
        `crash test (${mode}): ${cycles} kill -9 cycles, acknowledged writes verified up to ${checked} acks in total`,
      );
    }, 60_000);
  }
});
