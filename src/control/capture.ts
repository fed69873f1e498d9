import type { IncomingMessage, ServerResponse } from 'node:http';

/** The first bytes of a body, and how many there were in all. */
export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  total = 0;

  constructor(private readonly limit: number) {}

  add(chunk: unknown, encoding?: BufferEncoding): void {
    if (chunk === null || chunk === undefined) return;
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, encoding ?? 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : chunk instanceof Uint8Array
            ? Buffer.from(chunk)
            : null;
    if (!buffer) return;
    this.total += buffer.length;
    if (this.kept >= this.limit) return;
    const part = buffer.subarray(0, this.limit - this.kept);
    this.chunks.push(part);
    this.kept += part.length;
  }

  get truncated(): boolean {
    return this.total > this.kept;
  }

  /** The kept bytes as text, or null when the body is binary (image data). */
  text(contentType: string | undefined): string | null {
    if (this.total === 0) return null;
    if (contentType && !isTextual(contentType)) return null;
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function isTextual(contentType: string): boolean {
  return /json|text\/|xml|x-www-form-urlencoded|javascript/i.test(contentType);
}

/**
 * Sees the request body as the HTTP parser hands it to the stream, however
 * the route later consumes it (JSON parser, piped upload, or not at all):
 * adding a 'data' listener instead would switch the stream into flowing
 * mode under the route's feet.
 */
export function tapRequest(req: IncomingMessage, capture: BodyCapture): void {
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    capture.add(chunk, encoding);
    return push(chunk, encoding);
  };
}

/** Sees every byte the route writes to the response. */
export function tapResponse(res: ServerResponse, capture: BodyCapture): void {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    capture.add(chunk, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') {
      capture.add(chunk, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined);
    }
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
}
