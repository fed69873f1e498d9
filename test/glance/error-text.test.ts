import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/http/api-error.js';
import { renderGlanceError } from '../../src/providers/glance/errors.js';

const plain = (message: string) => {
  const rendered = renderGlanceError(new ApiError(400, message), undefined);
  return rendered.kind === 'text' ? rendered.text : '';
};

describe("Glance's plain-text errors (webob's strip_tags)", () => {
  it('strips tags as webob does (expected texts from Python with webob’s own patterns)', () => {
    expect(plain('a<br/>b<i>c</i> <BR>d')).toBe('400 Bad Request\n\na\nbc \nd\n\n   ');
    expect(plain('x < y <br and <!-- c --> z>')).toBe('400 Bad Request\n\nx \n\n   ');
    expect(plain('<<<br>>')).toBe('400 Bad Request\n\n\n\n   ');
  });

  it('a message full of `<` (client input echoed) costs its length, not its square', () => {
    // a backtracking pattern takes minutes here (past the test's timeout); one pass takes milliseconds
    const hostile = '<'.repeat(400_000);
    expect(plain(hostile) === `400 Bad Request\n\n${hostile}\n\n   `).toBe(true);
  });
});
