import { isTextualType } from '../http/content-type.js';
import type { IncomingMessage } from 'node:http';

/**
 * The first bytes of a body, and how many there were in all. Holds the
 * chunks as written (references, no copies or decoding) so a request costs
 * only the counting; the text is made when the journal is read.
 */
export class BodyCapture {
  private readonly chunks: (Buffer | string)[] = [];
  private readonly encodings: (BufferEncoding | undefined)[] = [];
  private kept = 0;
  total = 0;

  constructor(private readonly limit: number) {}

  add(chunk: unknown, encoding?: BufferEncoding): void {
    if (chunk === null || chunk === undefined) return;
    let size: number;
    if (typeof chunk === 'string') size = Buffer.byteLength(chunk, encoding ?? 'utf8');
    else if (chunk instanceof Uint8Array) size = chunk.byteLength;
    else return;
    this.total += size;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    if (size <= room) {
      this.chunks.push(typeof chunk === 'string' ? chunk : toBuffer(chunk));
      this.encodings.push(encoding);
      this.kept += size;
      return;
    }
    // Only the part under the limit is kept, as a copy: a view into a larger chunk would keep all of it alive.
    const whole = typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : toBuffer(chunk);
    this.chunks.push(Buffer.from(whole.subarray(0, room)));
    this.encodings.push(undefined);
    this.kept += room;
  }

  get truncated(): boolean {
    return this.total > Math.min(this.kept, this.limit);
  }

  /** The kept bytes as text, or null when the body is binary (image data). */
  text(contentType: string | undefined): string | null {
    if (this.total === 0) return null;
    if (!isTextualType(contentType)) return null;
    const buffers = this.chunks.map((c, i) =>
      typeof c === 'string' ? Buffer.from(c, this.encodings[i] ?? 'utf8') : c,
    );
    return Buffer.concat(buffers).subarray(0, this.limit).toString('utf8');
  }
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Sees the request body as the HTTP parser hands it to the stream, however
 * the route later consumes it (JSON parser, piped upload, or not at all):
 * adding a 'data' listener instead would switch the stream into flowing
 * mode under the route's feet.
 */
export function tapRequest(req: IncomingMessage, capture: BodyCapture): BodyCapture {
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    capture.add(chunk, encoding);
    return push(chunk, encoding);
  };
  return capture;
}
