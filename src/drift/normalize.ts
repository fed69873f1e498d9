/**
 * Values that differ between any two runs (ids the run created, timestamps,
 * request ids, hosts, set order) are brought to one form on both sides, so
 * only real differences remain. A timestamp keeps its *format* (digits become
 * 0), so a different format still shows.
 */
export interface SideContext {
  /** The side's base URL (`http://host:port`), replaced by `{base}`. */
  base: string;
  /** Values captured from this side's answers (created ids), replaced by `{name}`. */
  vars: Map<string, string>;
}

export interface NormaliseRules {
  /** Object keys whose array value is a set (e.g. Glance `tags`): sorted before comparing. */
  setKeys?: readonly string[];
}

const TIMESTAMP =
  /\b\d{2,4}[-/.]\d{2}[-/.]\d{2,4}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g;
const REQUEST_ID = /\breq-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

export function normaliseText(text: string, side: SideContext): string {
  let out = text;
  const host = new URL(side.base).host;
  out = out.split(side.base.replace(/\/$/, '')).join('{base}');
  out = out.split(host).join('{host}');
  // longest first, so an id inside a longer captured value is not half-replaced
  for (const [name, value] of [...side.vars].sort((a, b) => b[1].length - a[1].length)) {
    if (value) out = out.split(value).join(`{${name}}`);
  }
  out = out.replace(REQUEST_ID, 'req-{request-id}');
  return out.replace(TIMESTAMP, (t) => t.replace(/\d/g, '0'));
}

export function normaliseJson(
  value: unknown,
  side: SideContext,
  rules: NormaliseRules = {},
  key?: string,
): unknown {
  if (typeof value === 'string') return normaliseText(value, side);
  if (Array.isArray(value)) {
    const items = value.map((v) => normaliseJson(v, side, rules));
    if (key !== undefined && rules.setKeys?.includes(key)) {
      return items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    return items;
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[normaliseText(k, side)] = normaliseJson(v, side, rules, k);
  return out;
}
