import type { Difference } from './difference.js';

/**
 * How a JSON text is written, apart from its values: clients that compare
 * bytes, sign bodies or parse with a hand-written reader notice these.
 */
export interface JsonStyle {
  /** Whitespace after `:` outside strings (`": "` for Python's json.dumps). */
  afterColon?: string;
  /** Whitespace after `,` outside strings, line breaks and indentation shown as \n and spaces. */
  afterComma?: string;
  /** Whether the text spans lines (pretty-printed). */
  multiline?: boolean;
  /** Non-ASCII characters written as \uXXXX escapes or raw. */
  nonAscii?: 'escaped' | 'raw';
  /** `/` written as `\/` or raw. */
  slash?: 'escaped' | 'raw';
  /** A trailing newline after the value. */
  trailingNewline: boolean;
}

export function styleOf(text: string): JsonStyle {
  const style: JsonStyle = {
    trailingNewline: /\n$/.test(text),
    multiline: /\n./.test(text.trimEnd()) || undefined,
  };
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') {
        const next = text[i + 1];
        if (next === '/') style.slash = 'escaped';
        if (next === 'u' && parseInt(text.slice(i + 2, i + 6), 16) > 0x7f) style.nonAscii ??= 'escaped';
        i++;
      } else if (c === '"') inString = false;
      else if (c === '/') style.slash ??= 'raw';
      else if (c.charCodeAt(0) > 0x7f) style.nonAscii = 'raw';
      continue;
    }
    if (c === '"') inString = true;
    else if (c === ':' && style.afterColon === undefined)
      style.afterColon = /^[ \t]*/.exec(text.slice(i + 1))![0];
    else if (c === ',' && style.afterComma === undefined)
      style.afterComma = /^\s*/.exec(text.slice(i + 1))![0];
  }
  return style;
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** Serialisation differences between two JSON texts (only where both show evidence). */
export function diffSerialization(realText: string, mockText: string): Difference[] {
  const real = styleOf(realText);
  const mock = styleOf(mockText);
  const out: Difference[] = [];
  const labels: Record<keyof JsonStyle, string> = {
    afterColon: 'spacing after ":"',
    afterComma: 'spacing after ","',
    multiline: 'line breaks',
    nonAscii: 'non-ASCII escaping',
    slash: '"/" escaping',
    trailingNewline: 'trailing newline',
  };
  for (const key of Object.keys(labels) as (keyof JsonStyle)[]) {
    const r = real[key];
    const m = mock[key];
    if (key !== 'multiline' && key !== 'trailingNewline' && (r === undefined || m === undefined)) continue;
    if ((r ?? false) !== (m ?? false)) {
      out.push({
        kind: 'serialization',
        path: `$ (${labels[key]})`,
        real: show(r ?? false),
        mock: show(m ?? false),
      });
    }
  }
  return out;
}
