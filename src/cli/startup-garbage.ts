import v8 from 'node:v8';
import vm from 'node:vm';

/** Heap in use after start-up above which one full collection is worth its pause (the seeded store: ~30 MB). */
export const LARGE_HEAP_BYTES = 64 * 1024 * 1024;

/**
 * One full garbage collection once a large store is loaded, before traffic.
 * V8 lets the heap grow to a multiple of what was live at its last full
 * collection, and the last one during start-up ran while the store file's
 * text was still live: with 100,000 Glance images the server then climbed to
 * 550-670 MB RSS under load before collecting again; after this, ~230 MB.
 * The collector is reached as jest's leak detector reaches it. True if it ran.
 */
export function collectStartupGarbage(threshold = LARGE_HEAP_BYTES): boolean {
  if (process.memoryUsage().heapUsed < threshold) return false;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  // twice: what the first collection only finalises (weak references, finalisers) the second frees
  gc();
  gc();
  return true;
}
