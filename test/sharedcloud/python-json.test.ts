import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  MAX_NESTING,
  pythonJsonError,
  pythonUtf8Error,
} from '../../src/providers/sharedcloud/routes/python-json.js';

/**
 * DRF puts CPython's json error text into its 400s; the mock's port is
 * checked against the real interpreter when one is installed.
 */
const python = spawnSync('python3', ['--version']).status === 0;

const DOCUMENTS = [
  '',
  ' ',
  'x',
  '{',
  '}',
  '[',
  '[1,]',
  '[1 2]',
  '{"a":1,}',
  '{"a" 1}',
  '{"a":}',
  '{"a"',
  '{"a":1',
  '{"a":1 "b":2}',
  '{1:2}',
  "{'a':1}",
  '"abc',
  '"a\\',
  '"a\\qb"',
  '"a\\u12"',
  '"a\\u12zz"',
  '"a\nb"',
  '"a\tb"',
  '-',
  '-a',
  '1.',
  '01',
  '1e',
  '.5',
  'tru',
  'nul',
  'True',
  'NaN',
  'Infinity',
  '-Infinity',
  '[NaN]',
  '{"a": 1} x',
  '{"a": 1}\n\n  x',
  '\ufeff{}',
  '{"a":[1,{"b":[true,false,null]}]}',
  '  {"a" : "\\u00e9\\n"}  ',
  '"\\ud800"',
  '1e5',
  '-0.5E-3',
  '[1,2,[3,[4,[5,]]]]',
  '{"username":"demo","password":"x",}',
];

const BYTES = [
  [0xff],
  [0x7b, 0xc3, 0x7d],
  [0xe2, 0x82],
  [0xe2, 0x82, 0x28],
  [0xf0, 0x90, 0x28],
  [0xf0, 0x28],
  [0xe2],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x61, 0x62, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80],
];

/** What CPython says, one line per input (OK when it parses). */
function cpython(script: string, inputs: unknown[]): string[] {
  const out = spawnSync('python3', ['-c', script], { input: JSON.stringify(inputs), encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as string[];
}

describe.skipIf(!python)('the CPython port agrees with python3', () => {
  it('json.loads error messages, with DRF strict constants', () => {
    const expected = cpython(
      `import json, sys
def strict(o): raise ValueError('Out of range float values are not JSON compliant: ' + repr(o))
out = []
for doc in json.load(sys.stdin):
    try:
        json.loads(doc, parse_constant=strict); out.append('OK')
    except ValueError as e:
        out.append(str(e))
print(json.dumps(out))`,
      DOCUMENTS,
    );
    expect(DOCUMENTS.map((d) => pythonJsonError(d) ?? 'OK')).toEqual(expected);
  });

  it("bytes.decode('utf-8') error messages", () => {
    const expected = cpython(
      `import json, sys
out = []
for b in json.load(sys.stdin):
    try:
        bytes(b).decode('utf-8'); out.append('OK')
    except UnicodeDecodeError as e:
        out.append(str(e))
print(json.dumps(out))`,
      BYTES,
    );
    expect(BYTES.map((b) => pythonUtf8Error(Uint8Array.from(b)) ?? 'OK')).toEqual(expected);
  });
});

describe('the CPython port on its own', () => {
  it('gives up on very deep nesting as CPython does, without exhausting the stack', () => {
    expect(pythonJsonError('['.repeat(100_000))).toBe(
      'maximum recursion depth exceeded while decoding a JSON array from a unicode string',
    );
    expect(pythonJsonError('{"a":'.repeat(MAX_NESTING + 1) + '1' + '}'.repeat(MAX_NESTING + 1))).toBe(
      'maximum recursion depth exceeded while decoding a JSON object from a unicode string',
    );
    expect(pythonJsonError('['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING))).toBeNull();
  });

  it('accepts what JSON.parse accepts and locates errors by line and column', () => {
    expect(pythonJsonError('{"a": [1, 2.5e3, "x", null]}')).toBeNull();
    expect(pythonJsonError('{\n"a": }')).toBe('Expecting value: line 2 column 6 (char 7)');
  });
});
