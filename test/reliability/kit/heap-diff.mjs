/**
 * Which kinds of objects a heap grew by, between two V8 heap snapshots
 * (heap-probe.mjs writes them after a full GC):
 *
 *   node test/reliability/kit/heap-diff.mjs before.heapsnapshot after.heapsnapshot [rows]
 *
 * Objects are grouped by constructor (closures by function name, strings,
 * arrays and code by kind); rows are sorted by growth in bytes. A leak shows
 * as one group growing with the run while the others stay put.
 */
import { readFileSync } from 'node:fs';
import console from 'node:console';
import process from 'node:process';

function groups(file) {
  const { snapshot, nodes, strings } = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byGroup = new Map();
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]];
    const name = strings[nodes[i + nameAt]];
    const group =
      type === 'object' || type === 'native'
        ? name
        : type === 'closure'
          ? `(closure) ${name || '(anonymous)'}`
          : type.includes('string')
            ? '(string)'
            : `(${type})`;
    const g = byGroup.get(group) ?? { count: 0, bytes: 0 };
    g.count += 1;
    g.bytes += nodes[i + sizeAt];
    byGroup.set(group, g);
  }
  return byGroup;
}

const [beforeFile, afterFile, rows = '25'] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  console.error('usage: heap-diff.mjs before.heapsnapshot after.heapsnapshot [rows]');
  process.exit(2);
}
const before = groups(beforeFile);
const after = groups(afterFile);
const none = { count: 0, bytes: 0 };
const diff = [...new Set([...before.keys(), ...after.keys()])].map((group) => {
  const b = before.get(group) ?? none;
  const a = after.get(group) ?? none;
  return { group, count: a.count - b.count, bytes: a.bytes - b.bytes, after: a };
});
const total = (m) => [...m.values()].reduce((sum, g) => sum + g.bytes, 0);
console.log(
  `self size ${(total(before) / 1048576).toFixed(2)} MiB -> ${(total(after) / 1048576).toFixed(2)} MiB`,
);
console.log('bytes Δ'.padStart(12), 'count Δ'.padStart(10), 'count now'.padStart(10), ' group');
for (const d of diff.sort((x, y) => Math.abs(y.bytes) - Math.abs(x.bytes)).slice(0, Number(rows))) {
  console.log(
    String(d.bytes).padStart(12),
    String(d.count).padStart(10),
    String(d.after.count).padStart(10),
    '',
    d.group.slice(0, 80),
  );
}
