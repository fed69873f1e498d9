/** One way the mock's answer differs from the real one. */
export type DifferenceKind =
  | 'status'
  | 'header'
  | 'missing' // in the real answer, not in the mock's
  | 'extra' // in the mock's answer, not in the real one
  | 'type'
  | 'value'
  | 'key-order'
  | 'order' // the same items (by id) in another order
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
    const reordered = sameItemsReordered(real, mock, path);
    if (reordered) return reordered;
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

const identity = (item: unknown): string | undefined => {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const { id, uuid } = item as Record<string, unknown>;
  return typeof id === 'string' ? id : typeof uuid === 'string' ? uuid : undefined;
};

/**
 * Lists of records with ids that hold the same records in another order: one
 * `order` difference, then each record compared with its namesake (rather
 * than every field of every position differing).
 */
function sameItemsReordered(real: unknown[], mock: unknown[], path: string): Difference[] | null {
  if (real.length !== mock.length || real.length < 2) return null;
  const realIds = real.map(identity);
  const mockIds = mock.map(identity);
  if (realIds.some((id) => id === undefined) || mockIds.some((id) => id === undefined)) return null;
  if (
    new Set(realIds).size !== real.length ||
    [...realIds].sort().join('\0') !== [...mockIds].sort().join('\0')
  )
    return null;
  if (realIds.join('\0') === mockIds.join('\0')) return null;
  const out: Difference[] = [{ kind: 'order', path, real: realIds, mock: mockIds }];
  real.forEach((item, i) =>
    out.push(...diffJson(item, mock[mockIds.indexOf(realIds[i])], childPath(path, i))),
  );
  return out;
}

function describe(v: unknown): unknown {
  return typeOf(v) === 'object' || Array.isArray(v) ? `${typeOf(v)} ${JSON.stringify(v).slice(0, 80)}` : v;
}
