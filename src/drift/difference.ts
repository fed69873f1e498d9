/** One way the mock's answer differs from the real one. */
export type DifferenceKind =
  | 'status'
  | 'header'
  | 'missing' // in the real answer, not in the mock's
  | 'extra' // in the mock's answer, not in the real one
  | 'type'
  | 'value'
  | 'key-order'
  | 'serialization'
  | 'body'; // non-JSON bodies that differ

export interface Difference {
  kind: DifferenceKind;
  /** JSON path into the body (`$.images[0].name`), the header name, or `status`. */
  path: string;
  real?: unknown;
  mock?: unknown;
  /** Set when the deliberate-differences file lists it: the documented reason. */
  deliberate?: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export const childPath = (parent: string, key: string | number) =>
  typeof key === 'number'
    ? `${parent}[${key}]`
    : IDENTIFIER.test(key)
      ? `${parent}.${key}`
      : `${parent}[${JSON.stringify(key)}]`;

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Differences between two parsed JSON values: missing, extra, type, value and key order, by path. */
export function diffJson(real: unknown, mock: unknown, path = '$'): Difference[] {
  const realType = typeOf(real);
  const mockType = typeOf(mock);
  if (realType !== mockType) return [{ kind: 'type', path, real: describe(real), mock: describe(mock) }];
  if (Array.isArray(real) && Array.isArray(mock)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(real.length, mock.length); i++) {
      const p = childPath(path, i);
      if (i >= mock.length) out.push({ kind: 'missing', path: p, real: real[i] });
      else if (i >= real.length) out.push({ kind: 'extra', path: p, mock: mock[i] });
      else out.push(...diffJson(real[i], mock[i], p));
    }
    return out;
  }
  if (realType === 'object') {
    const r = real as Record<string, unknown>;
    const m = mock as Record<string, unknown>;
    const out: Difference[] = [];
    const realKeys = Object.keys(r);
    const mockKeys = Object.keys(m);
    const commonReal = realKeys.filter((k) => Object.hasOwn(m, k));
    const commonMock = mockKeys.filter((k) => Object.hasOwn(r, k));
    if (commonReal.join('\0') !== commonMock.join('\0')) {
      out.push({ kind: 'key-order', path, real: commonReal, mock: commonMock });
    }
    for (const key of realKeys) {
      const p = childPath(path, key);
      if (!Object.hasOwn(m, key)) out.push({ kind: 'missing', path: p, real: r[key] });
      else out.push(...diffJson(r[key], m[key], p));
    }
    for (const key of mockKeys) {
      if (!Object.hasOwn(r, key)) out.push({ kind: 'extra', path: childPath(path, key), mock: m[key] });
    }
    return out;
  }
  return Object.is(real, mock) ? [] : [{ kind: 'value', path, real, mock }];
}

function describe(v: unknown): unknown {
  return typeOf(v) === 'object' || Array.isArray(v) ? `${typeOf(v)} ${JSON.stringify(v).slice(0, 80)}` : v;
}
