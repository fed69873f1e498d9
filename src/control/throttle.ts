import type { Response } from 'express';

const TICK_MS = 100;
/** Queued bytes above which `write` asks the source to wait for 'drain'. */
const HIGH_WATER = 64 * 1024;

/**
 * Sends whatever the route writes at `bytesPerSecond`, in slices every
 * 100 ms. Honours back-pressure so a piped download is not read into
 * memory all at once.
 */
export function throttleResponse(res: Response, bytesPerSecond: number): void {
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as (cb?: () => void) => Response;
  const slice = Math.max(1, Math.floor((bytesPerSecond * TICK_MS) / 1000));
  const queue: Buffer[] = [];
  let queued = 0;
  let ending: { cb?: () => void } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let waitingForDrain = false;

  const pump = () => {
    timer = null;
    if (res.destroyed) return;
    let budget = slice;
    while (budget > 0 && queue.length > 0) {
      const head = queue[0]!;
      const part = head.subarray(0, budget);
      write(part);
      budget -= part.length;
      queued -= part.length;
      if (part.length === head.length) queue.shift();
      else queue[0] = head.subarray(part.length);
    }
    if (waitingForDrain && queued < HIGH_WATER) {
      waitingForDrain = false;
      res.emit('drain');
    }
    if (queue.length > 0) timer = setTimeout(pump, TICK_MS);
    else if (ending) end(ending.cb);
  };
  const schedule = () => {
    timer ??= setTimeout(pump, TICK_MS);
  };
  const toBuffer = (chunk: unknown, encoding: unknown) =>
    typeof chunk === 'string'
      ? Buffer.from(chunk, (encoding as BufferEncoding) ?? 'utf8')
      : Buffer.from(chunk as Uint8Array);

  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    const buffer = toBuffer(chunk, typeof encoding === 'string' ? encoding : undefined);
    queue.push(buffer);
    queued += buffer.length;
    schedule();
    const callback = typeof encoding === 'function' ? encoding : cb;
    if (typeof callback === 'function') process.nextTick(callback);
    if (queued >= HIGH_WATER) waitingForDrain = true;
    return !waitingForDrain;
  }) as Response['write'];

  res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    const callback = [chunk, encoding, cb].find((a) => typeof a === 'function') as (() => void) | undefined;
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
      const buffer = toBuffer(chunk, typeof encoding === 'string' ? encoding : undefined);
      queue.push(buffer);
      queued += buffer.length;
    }
    ending = callback ? { cb: callback } : {};
    schedule();
    return res;
  }) as Response['end'];

  res.once('close', () => {
    if (timer) clearTimeout(timer);
  });
}
