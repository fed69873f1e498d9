/**
 * Preloaded into a server under test (`node --expose-gc --import ...`).
 * On SIGUSR2 it collects garbage fully, then prints one line on stderr:
 * `heap-probe {"n":1,"heapUsed":...,"external":...,"rss":...}` (bytes).
 * Heap used after a full collection is the live data; RSS and heap total
 * also hold what V8 keeps reserved after lazy growth, which says little
 * about leaks. A signal, not an endpoint: the server's own API stays as
 * shipped.
 *
 * With HEAP_PROBE_SNAPSHOTS=<dir> each sample also writes
 * `<dir>/heap-<n>.heapsnapshot` (seconds of pause each: for finding a leak,
 * not for measuring latency); heap-diff.mjs compares two of them.
 */
import path from 'node:path';
import process from 'node:process';
import v8 from 'node:v8';

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('heap-probe needs node --expose-gc');
let n = 0;
process.on('SIGUSR2', () => {
  // a second pass frees what the first one's finalizers and weak callbacks released
  gc();
  gc();
  const m = process.memoryUsage();
  n += 1;
  const sample = {
    n,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    rss: m.rss,
  };
  const dir = process.env.HEAP_PROBE_SNAPSHOTS;
  if (dir) v8.writeHeapSnapshot(path.join(dir, `heap-${n}.heapsnapshot`));
  process.stderr.write(`heap-probe ${JSON.stringify(sample)}\n`);
});
