import { describe, expect, it } from 'vitest';
import { pythonJsonDumps, pythonPformat, pythonRepr } from '../../src/providers/glance/model/python-text.js';

describe('Python text', () => {
  it('json.dumps as Glance calls it: its separators, text outside ASCII as itself, control characters escaped', () => {
    // real Glance 25 answers a name of é☃ with the UTF-8 bytes c3 a9 e2 98 83, not \u00e9\u2603
    expect(pythonJsonDumps({ a: [1, true, null], b: 'é😀\u007f\n"\u0001' })).toBe(
      '{"a": [1, true, null], "b": "é😀\u007f\\n\\"\\u0001"}',
    );
    expect(pythonJsonDumps({})).toBe('{}');
    expect(pythonJsonDumps([])).toBe('[]');
  });

  it('repr: quotes as Python chooses them', () => {
    expect(pythonRepr("it's")).toBe('"it\'s"');
    expect(pythonRepr('say "hi"')).toBe('\'say "hi"\'');
    expect(pythonRepr(`both ' and "`)).toBe(`'both \\' and "'`);
    expect(pythonRepr([null, false, 1.5, 'a\tb'])).toBe("[None, False, 1.5, 'a\\tb']");
    expect(pythonRepr({ b: 1, a: 2 })).toBe("{'a': 2, 'b': 1}");
  });

  it('pformat: short values on one line, long dicts and lists one item a line', () => {
    expect(pythonPformat({ type: 'string' })).toBe("{'type': 'string'}");
    expect(
      pythonPformat({
        type: ['null', 'string'],
        description: 'Descriptive name for the image',
        maxLength: 255,
      }),
    ).toBe(
      "{'description': 'Descriptive name for the image',\n 'maxLength': 255,\n 'type': ['null', 'string']}",
    );
  });
});
