/**
 * Text exactly as CPython writes it, for the parts of Glance's answers that
 * are Python output: `json.dumps` bodies, `repr` values and the
 * `pprint.pformat` schemas inside jsonschema's error messages.
 */

/** `json.dumps(value)`: `", "` / `": "` separators, every non-ASCII character escaped. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${jsonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

/**
 * A string as Glance's serializer writes it (json.dumps, ensure_ascii off):
 * text outside ASCII as itself, in the body's UTF-8, only quotes,
 * backslashes and control characters escaped: what JSON.stringify does.
 */
const jsonString = (s: string): string => JSON.stringify(s);

function pythonNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Python's `repr` of a JSON value (str, int, bool, None, list, dict with sorted keys). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return stringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${sortedEntries(value)
    .map(([k, v]) => `${stringRepr(k)}: ${pythonRepr(v)}`)
    .join(', ')}}`;
}

function sortedEntries(value: object): [string, unknown][] {
  return Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

const WIDTH = 72;

/** `pprint.pformat(value, width=72)`, the way jsonschema prints schemas and instances. */
export function pythonPformat(value: unknown): string {
  return format(value, 0, 0, 0);
}

function format(value: unknown, indent: number, allowance: number, level: number): string {
  const rep = pythonRepr(value);
  if (rep.length <= WIDTH - indent - allowance) return rep;
  if (Array.isArray(value) && value.length > 0) {
    return `[${formatItems(value, indent + 1, allowance + 1, level + 1)}]`;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = sortedEntries(value);
    if (entries.length === 0) return rep;
    return `{${formatDictItems(entries, indent + 1, allowance + 1, level + 1)}}`;
  }
  if (typeof value === 'string') return formatString(value, indent, allowance, level + 1);
  return rep;
}

function formatDictItems(
  entries: [string, unknown][],
  indent: number,
  allowance: number,
  level: number,
): string {
  return entries
    .map(([key, v], i) => {
      const last = i === entries.length - 1;
      const keyRep = stringRepr(key);
      return `${keyRep}: ${format(v, indent + keyRep.length + 2, last ? allowance : 1, level)}`;
    })
    .join(`,\n${' '.repeat(indent)}`);
}

function formatItems(items: unknown[], indent: number, allowance: number, level: number): string {
  return items
    .map((v, i) => format(v, indent, i === items.length - 1 ? allowance : 1, level))
    .join(`,\n${' '.repeat(indent)}`);
}

/** pprint splits a long string at whitespace into adjacent literals. */
function formatString(s: string, indentIn: number, allowanceIn: number, level: number): string {
  if (s.length === 0) return stringRepr(s);
  let indent = indentIn;
  let allowance = allowanceIn;
  if (level === 1) {
    indent += 1;
    allowance += 1;
  }
  const chunks: string[] = [];
  const lines = s.match(/[^\n]*\n|[^\n]+$/g) ?? [s];
  let maxWidth1 = WIDTH - indent;
  lines.forEach((line, i) => {
    const rep = stringRepr(line);
    if (i === lines.length - 1) maxWidth1 -= allowance;
    if (rep.length <= maxWidth1) {
      chunks.push(rep);
      return;
    }
    const parts = line.match(/\S*\s*/g)!.filter((p, j, all) => !(p === '' && j === all.length - 1));
    let maxWidth2 = WIDTH - indent;
    let current = '';
    parts.forEach((part, j) => {
      const candidate = current + part;
      if (j === parts.length - 1 && i === lines.length - 1) maxWidth2 -= allowance;
      if (stringRepr(candidate).length > maxWidth2) {
        if (current) chunks.push(stringRepr(current));
        current = part;
      } else current = candidate;
    });
    if (current) chunks.push(stringRepr(current));
  });
  if (chunks.length === 1) return stringRepr(s);
  const body = chunks.join(`\n${' '.repeat(indent)}`);
  return level === 1 ? `(${body})` : body;
}
