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
});
