import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const root = path.resolve(import.meta.dirname, '../..');

// A writer over the built store: pads the section so each write takes a while,
// then bumps a counter and commits in a loop, printing each acknowledged value.
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
for (;;) {
  n += 1;
  data.images[0].description = 'counter ' + n;
  await store.commit('cloudmc');
  process.stdout.write('ack ' + n + '\\n');
}
`;

const { dir, cleanup } = tempDir('iam-crash-');
afterAll(cleanup);

function runUntilAcks(acks: number): Promise<{ child: ChildProcess; lastAck: number }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', writer, dir], {
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

describe('kill -9 during continuous writes', () => {
  it('never leaves a torn store file and never loses an acknowledged write', async () => {
    const cycles = 5;
    let checked = 0;
    for (let cycle = 0; cycle < cycles; cycle++) {
      const { child, lastAck } = await runUntilAcks(3 + cycle);
      // Let it get into the middle of another write before killing it.
      await new Promise((r) => setTimeout(r, 5 + cycle * 7));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const text = readFileSync(path.join(dir, 'cloudmc.json'), 'utf8');
      const data = JSON.parse(text) as { images: { description: string }[] };
      const onDisk = Number(data.images[0]!.description.replace('counter ', ''));
      expect(onDisk).toBeGreaterThanOrEqual(lastAck);
      expect(data.images.length).toBeGreaterThan(20000);
      checked += lastAck;
    }
    console.log(
      `crash test: ${cycles} kill -9 cycles, acknowledged writes verified up to ${checked} acks in total`,
    );
  }, 60_000);
});
