/**
 * The error text CPython's `json.loads` gives for a document it rejects
 * (with DRF's strict handling of NaN/Infinity), because DRF's JSON parser
 * puts exactly that text into its 400: `JSON parse error - <message>`.
 * Clients and their tests see it, so the mock words and positions it the
 * same way: `Expecting value: line 1 column 1 (char 0)`.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
/**
 * CPython decodes nested containers recursively and gives up near its
 * recursion limit (1000 frames, some already used by Django and DRF when
 * the parser runs); DRF lets that RecursionError through as a 500. The mock
 * answers the parse error instead, at this approximate depth.
 */
export const MAX_NESTING = 900;

class Rejected extends Error {
  constructor(
    readonly reason: string,
    readonly pos: number,
  ) {
    super(reason);
  }
}

/** Python's JSONDecodeError text: the reason plus line, column and char offset. */
function locate(doc: string, reason: string, pos: number): string {
  const before = doc.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${reason}: line ${line} column ${column} (char ${pos})`;
}

/** null when CPython would accept the document, else its error message. */
export function pythonJsonError(doc: string): string | null {
  if (doc.startsWith('\ufeff')) return locate(doc, 'Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
  const skip = (i: number) => {
    while (i < doc.length && WHITESPACE.has(doc[i]!)) i++;
    return i;
  };

  const string = (start: number): number => {
    let i = start + 1;
    for (;;) {
      if (i >= doc.length) throw new Rejected('Unterminated string starting at', start);
      const c = doc[i]!;
      if (c === '"') return i + 1;
      if (c.charCodeAt(0) < 0x20) throw new Rejected('Invalid control character at', i);
      if (c === '\\') {
        const e = doc[i + 1];
        if (e === undefined) throw new Rejected('Unterminated string starting at', start);
        if (e === 'u') {
          if (!HEX4.test(doc.slice(i + 2, i + 6))) throw new Rejected('Invalid \\uXXXX escape', i + 1);
          i += 6;
          continue;
        }
        if (!ESCAPES.has(e)) throw new Rejected('Invalid \\escape', i);
        i += 2;
        continue;
      }
      i++;
    }
  };

  let depth = 0;
  const nested = (kind: 'object' | 'array', parse: () => number): number => {
    if (++depth > MAX_NESTING) {
      throw new Rejected(
        `maximum recursion depth exceeded while decoding a JSON ${kind} from a unicode string`,
        -1,
      );
    }
    const end = parse();
    depth--;
    return end;
  };

  const value = (i: number): number => {
    const c = doc[i];
    if (c === '"') return string(i);
    if (c === '{') return nested('object', () => object(i + 1));
    if (c === '[') return nested('array', () => array(i + 1));
    for (const word of ['null', 'true', 'false']) if (doc.startsWith(word, i)) return i + word.length;
    for (const constant of ['NaN', 'Infinity', '-Infinity']) {
      if (doc.startsWith(constant, i))
        throw new Rejected(`Out of range float values are not JSON compliant: '${constant}'`, -1);
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(doc)) return NUMBER.lastIndex;
    throw new Rejected('Expecting value', i);
  };

  const object = (start: number): number => {
    let i = skip(start);
    if (doc[i] === '}') return i + 1;
    for (;;) {
      if (doc[i] !== '"') throw new Rejected('Expecting property name enclosed in double quotes', i);
      i = skip(string(i));
      if (doc[i] !== ':') throw new Rejected("Expecting ':' delimiter", i);
      i = skip(value(skip(i + 1)));
      if (doc[i] === '}') return i + 1;
      if (doc[i] !== ',') throw new Rejected("Expecting ',' delimiter", i);
      i = skip(i + 1);
    }
  };

  const array = (start: number): number => {
    let i = skip(start);
    if (doc[i] === ']') return i + 1;
    for (;;) {
      i = skip(value(i));
      if (doc[i] === ']') return i + 1;
      if (doc[i] !== ',') throw new Rejected("Expecting ',' delimiter", i);
      i = skip(i + 1);
    }
  };

  try {
    const end = skip(value(skip(0)));
    return end === doc.length ? null : locate(doc, 'Extra data', end);
  } catch (e) {
    if (!(e instanceof Rejected)) throw e;
    // DRF's constant hook and the recursion limit give no position
    return e.pos < 0 ? e.reason : locate(doc, e.reason, e.pos);
  }
}

/**
 * Python's `bytes.decode('utf-8')` error for invalid input, or null. DRF
 * decodes the body before parsing and reports this text the same way.
 */
export function pythonUtf8Error(bytes: Uint8Array): string | null {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const [need, min2, max2] =
      b < 0x80
        ? [0, 0, 0]
        : b >= 0xc2 && b <= 0xdf
          ? [1, 0x80, 0xbf]
          : b === 0xe0
            ? [2, 0xa0, 0xbf]
            : b === 0xed
              ? [2, 0x80, 0x9f]
              : b >= 0xe1 && b <= 0xef
                ? [2, 0x80, 0xbf]
                : b === 0xf0
                  ? [3, 0x90, 0xbf]
                  : b === 0xf4
                    ? [3, 0x80, 0x8f]
                    : b >= 0xf1 && b <= 0xf3
                      ? [3, 0x80, 0xbf]
                      : [-1, 0, 0];
    const byte = `byte 0x${b.toString(16).padStart(2, '0')} in position ${i}`;
    if (need < 0) return `'utf-8' codec can't decode ${byte}: invalid start byte`;
    let j = 1;
    for (; j <= need; j++) {
      if (i + j >= bytes.length) {
        const span = j === 1 ? byte : `bytes in position ${i}-${i + j - 1}`;
        return `'utf-8' codec can't decode ${span}: unexpected end of data`;
      }
      const c = bytes[i + j]!;
      const [lo, hi] = j === 1 ? [min2, max2] : [0x80, 0xbf];
      if (c < lo || c > hi) {
        const span = j === 1 ? byte : `bytes in position ${i}-${i + j - 1}`;
        return `'utf-8' codec can't decode ${span}: invalid continuation byte`;
      }
    }
    i += need + 1;
  }
  return null;
}
