import { describe, expect, it } from 'vitest';
import { BodyCapture } from '../../src/control/capture.js';

describe('BodyCapture (raw chunks kept, text made when read)', () => {
  it('caps mixed string and buffer chunks at the byte limit and counts every byte', () => {
    const capture = new BodyCapture(5);
    capture.add('ab');
    capture.add(Buffer.from('cdef'));
    capture.add('ghij');
    expect(capture.total).toBe(10);
    expect(capture.truncated).toBe(true);
    expect(capture.text('application/json')).toBe('abcde');
  });

  it('decodes strings in the encoding they were written in, and is not truncated when all fits', () => {
    const capture = new BodyCapture(100);
    capture.add(Buffer.from('{"a":"é"}').toString('base64'), 'base64');
    capture.add(new Uint8Array([0x7d]));
    expect(capture.total).toBe(11);
    expect(capture.truncated).toBe(false);
    expect(capture.text('application/json')).toBe('{"a":"é"}}');
  });

  it('gives no text for binary content or an empty body', () => {
    const binary = new BodyCapture(10);
    binary.add(Buffer.from([1, 2, 3]));
    expect(binary.text('application/octet-stream')).toBeNull();
    expect(new BodyCapture(10).text('application/json')).toBeNull();
  });

  it('keeps a copy of only the part under the limit, never a view that holds a large chunk alive', () => {
    const large = Buffer.alloc(256 * 1024, 0x61);
    const capture = new BodyCapture(100);
    capture.add(large);
    capture.add('more text after the limit');
    const kept = (capture as unknown as { chunks: Buffer[] }).chunks;
    expect(kept).toHaveLength(1);
    expect(kept[0]!.length).toBe(100);
    expect(kept[0]!.buffer).not.toBe(large.buffer);
    expect(kept[0]!.buffer.byteLength).toBeLessThan(large.length);
    expect(capture.total).toBe(large.length + 25);
    expect(capture.text('text/plain')).toBe('a'.repeat(100));
    const text = new BodyCapture(8);
    text.add('x'.repeat(10_000));
    expect(text.text('application/json')).toBe('x'.repeat(8));
    expect((text as unknown as { chunks: Buffer[] }).chunks[0]!.length).toBe(8);
  });
});
