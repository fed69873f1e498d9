import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { ApiError } from '../../../http/api-error.js';
import { announcedOver } from '../../../http/body.js';
import { glanceErrors } from '../errors.js';
import { IMAGE_DATA_AREAS } from '../model/index.js';

export interface StoredData {
  size: number;
  md5: string;
  sha512: string;
}

class TooLarge extends Error {}

const tooLargeImage = () =>
  glanceErrors.tooLarge('The incoming image is too large: The provided image is too large.');

/** Where bytes go: the image's own data, or its staging area (`PUT /stage`, read again by the import). */
export type DataArea = keyof typeof IMAGE_DATA_AREAS;

/**
 * Image bytes beside the store (`blobDir/<image id>`, staged bytes under
 * `blobDir/staging/`), never inside the JSON; the store removes them with
 * their image (IMAGE_DATA_AREAS). An upload streams through
 * md5 and sha512 into a temporary file that replaces the target file only
 * once complete, so a broken or oversized upload leaves nothing behind.
 */
export class ImageData {
  constructor(
    private readonly dir: () => string,
    private readonly maxBytes: () => number,
  ) {}

  private fileOf(imageId: string, area: DataArea = 'image'): string {
    return path.join(this.dir(), IMAGE_DATA_AREAS[area], imageId);
  }

  /** The bytes of `source` as the image's data (or its staged data), with their size and checksums. */
  async receive(source: Readable, imageId: string, area: DataArea = 'image'): Promise<StoredData> {
    const max = this.maxBytes();
    // an upload announced over the cap is refused before any of it is read, as every body is (src/http/body.ts)
    if (source instanceof IncomingMessage && announcedOver(source, max)) throw tooLargeImage();
    const target = this.fileOf(imageId, area);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(path.dirname(target), `.upload-${imageId}-${randomUUID()}`);
    const md5 = createHash('md5');
    const sha512 = createHash('sha512');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) return done(new TooLarge());
        md5.update(chunk);
        sha512.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(temp));
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      if (err instanceof TooLarge) throw tooLargeImage();
      if (err instanceof ApiError) throw err;
      throw glanceErrors.badRequest('Error in upload: the request body ended before it was complete.');
    }
    return { size, md5: md5.digest('hex'), sha512: sha512.digest('hex') };
  }

  /** The staged bytes, to import them. */
  readStaged(imageId: string): Readable {
    return createReadStream(this.fileOf(imageId, 'staging'));
  }

  async remove(imageId: string, area: DataArea = 'image'): Promise<void> {
    await rm(this.fileOf(imageId, area), { force: true });
  }

  /**
   * Streams the bytes (or the requested range) with Glance's headers; false when there are none.
   * `serving` runs once the bytes are known to exist and before they go out, so what it records
   * is there for a client that has read its download.
   */
  async send(
    req: Request,
    res: Response,
    imageId: string,
    checksum: string | null,
    serving?: () => Promise<void>,
  ): Promise<boolean> {
    const file = this.fileOf(imageId);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) return false;
    const range = parseRange(req.headers.range, size);
    await serving?.();
    res.setHeader('Content-Type', 'application/octet-stream');
    if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    if (checksum) res.setHeader('Content-Md5', checksum);
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    res.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
    res.status(range ? 206 : 200);
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return true;
    }
    await pipeline(createReadStream(file, { start, end }), res).catch(() => res.destroy());
    return true;
  }
}

/**
 * webob's Range parsing as Glance uses it: one `bytes=` range (first-last,
 * first-, -suffix); null when there is no Range header.
 */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (header === undefined) return null;
  if (header.includes(',')) {
    throw glanceErrors.badRequest(
      'Requests with multiple ranges are not supported in Glance. You may make multiple single-range requests instead.',
    );
  }
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '') || (m[1] !== '' && m[2] !== '' && Number(m[2]) < Number(m[1]))) {
    throw glanceErrors.rangeNotSatisfiable('Invalid Range header.');
  }
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return { start: suffix === 0 ? 0 : Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (start >= size) {
    throw glanceErrors.rangeNotSatisfiable(
      `Invalid start position in Range header. Start position MUST be in the inclusive range [0, ${size - 1}].`,
    );
  }
  return { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) };
}
