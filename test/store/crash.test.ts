import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSection, tempDir } from '../helpers.js';

const root = path.resolve(import.meta.dirname, '../..');

// A writer over the built store: pads the section so each snapshot takes a while,
// then bumps a counter and writes in a loop, printing each acknowledged value.
// 'whole' writes replace the collection (a snapshot each time); 'logged' ones
// update the counter record and add a record (appended to the log), every 25th
// a replacement (a snapshot that folds the log).
const writer = `
const { Store } = await import(${JSON.stringify(path.join(root, 'dist/store/store.js'))});
const { providers } = await import(${JSON.stringify(path.join(root, 'dist/providers/index.js'))});
const { fixturesDir } = await import(${JSON.stringify(path.join(root, 'dist/paths.js'))});
const store = await Store.open({ location: process.argv[1], sections: providers.map((p) => p.store), seed: 42, fixturesDir });
const images = store.collection('cloudmc', 'images');
const first = images.all()[0];
const key = images.idOf(first);
if (images.size < 5000) {
  await images.insertMany(Array.from({ length: 20000 }, (_, i) => ({ ...first, id: 'pad/' + i, description: 'x'.repeat(40) })));
}
let n = Number(images.get(key).description.match(/^counter (\\d+)$/)?.[1] ?? 0);
const logged = process.argv[2] === 'logged';
for (;;) {
  n += 1;
  const counter = { ...images.get(key), description: 'counter ' + n };
  if (logged && n % 25 !== 0) {
    await Promise.all([images.update(key, counter), images.insert({ ...first, id: 'added/' + n })]);
  } else {
    const all = images.all().map((r) => (images.idOf(r) === key ? counter : r));
    if (logged) all.push({ ...first, id: 'added/' + n });
    await images.replaceAll(all);
  }
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
        const data = (await loadSection(dir, 'cloudmc')) as unknown as {
          images: { id: string; description: string }[];
        };
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
