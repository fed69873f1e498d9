import { glanceErrors } from '../errors.js';
import type { ImageRecord } from './image.js';

export const SORT_KEYS = [
  'name',
  'status',
  'container_format',
  'disk_format',
  'size',
  'id',
  'created_at',
  'updated_at',
] as const;
type SortKey = (typeof SORT_KEYS)[number];
type SortDir = 'asc' | 'desc';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

export interface ListQuery {
  limit: number;
  marker: string | undefined;
  sort: { key: SortKey; dir: SortDir }[];
  visibility: string | undefined;
  memberStatus: string;
  /** Every other filter, as a predicate on one image. */
  matches: (image: ImageRecord) => boolean;
}

/** The query string as webob's MultiDict sees it: ordered pairs, `+` as space. */
export type Params = [string, string][];

function popFirst(params: Params, key: string): string | undefined {
  const i = params.findIndex(([k]) => k === key);
  if (i < 0) return undefined;
  return params.splice(i, 1)[0]![1];
}

function popAll(params: Params, key: string): string[] {
  const values: string[] = [];
  for (let v = popFirst(params, key); v !== undefined; v = popFirst(params, key)) values.push(v);
  return values;
}

/** Parses GET /v2/images's query in the order Glance validates it, throwing Glance's 400s. */
export function parseListQuery(query: Params): ListQuery {
  const params: Params = query.map(([k, v]) => [k, v]);
  const limitRaw = popFirst(params, 'limit');
  const marker = popFirst(params, 'marker');
  const memberStatus = popFirst(params, 'member_status') ?? 'accepted';
  const tags = popAll(params, 'tag').map((t) => t.trim());
  const sort = sorting(params);

  // the remaining parameters are filters; a repeated one counts with its last value
  const filters = new Map<string, string>();
  for (const [k, v] of params) filters.set(k, v);
  const visibility = filters.get('visibility');
  if (visibility && !['community', 'public', 'private', 'shared', 'all'].includes(visibility)) {
    throw glanceErrors.badRequest(`Invalid visibility value: ${visibility}`);
  }
  if (filters.get('changes-since')) {
    throw glanceErrors.badRequest('The "changes-since" filter is no longer available on v2.');
  }
  const timeFilters = (['created_at', 'updated_at'] as const).flatMap((field) => {
    const raw = filters.get(field);
    if (raw === undefined) return [];
    const { op, threshold } = splitFilterOp(raw);
    const at = parseIsoTime(threshold);
    if (at === null)
      throw glanceErrors.badRequest(`Bad "${field}" query filter format. Use ISO 8601 DateTime notation.`);
    return [{ field, op, at }];
  });
  const boolFilters = (['os_hidden', 'protected'] as const).map((field) => {
    const raw = filters.get(field);
    if (raw === undefined) return { field, value: field === 'os_hidden' ? false : undefined };
    // Glance lower-cases os_hidden before checking it, protected not at all
    const text = field === 'os_hidden' ? raw.toLowerCase() : raw;
    if (text !== 'true' && text !== 'false')
      throw glanceErrors.badRequest(
        `Invalid value '${text}' for '${field}' filter. Valid values are 'true' or 'false'.`,
      );
    return { field, value: text === 'true' };
  });
  if (!['pending', 'accepted', 'rejected', 'all'].includes(memberStatus)) {
    throw glanceErrors.badRequest(`Invalid status: ${memberStatus}`);
  }
  const limit = limitRaw === undefined ? DEFAULT_LIMIT : Math.min(parseLimit(limitRaw), MAX_LIMIT);

  const checks: ((image: ImageRecord) => boolean)[] = [];
  for (const { field, op, at } of timeFilters) {
    const compare = OPERATORS[op];
    if (!compare) throw glanceErrors.badRequest('Unable to filter on a unknown operator.');
    checks.push((image) => compare(Date.parse(image[field]), at));
  }
  for (const { field, value } of boolFilters) {
    if (value !== undefined) checks.push((image) => image[field] === value);
  }
  if (tags.length > 0) checks.push((image) => tags.every((t) => image.tags.includes(t)));
  for (const [key, value] of filters) {
    if (['visibility', 'changes-since', 'created_at', 'updated_at', 'os_hidden', 'protected'].includes(key))
      continue;
    checks.push(filterOn(key, value));
  }
  return {
    limit,
    marker,
    sort,
    visibility: visibility || undefined,
    memberStatus,
    matches: (image) => checks.every((c) => c(image)),
  };
}

function parseLimit(raw: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw glanceErrors.badRequest('limit param must be an integer');
  const n = Number(raw.trim());
  if (n < 0) throw glanceErrors.badRequest('limit param must be positive');
  return n;
}

function sorting(params: Params): { key: SortKey; dir: SortDir }[] {
  const validKey = (key: string): SortKey => {
    if (!(SORT_KEYS as readonly string[]).includes(key)) {
      throw glanceErrors.badRequest(
        `Invalid sort key: ${key}. It must be one of the following: ${SORT_KEYS.join(', ')}.`,
      );
    }
    return key as SortKey;
  };
  const validDir = (dir: string): SortDir => {
    if (dir !== 'asc' && dir !== 'desc') throw glanceErrors.badRequest(`Invalid sort direction: ${dir}`);
    return dir;
  };
  let keys: SortKey[] = [];
  let dirs: SortDir[] = [];
  const combined = popFirst(params, 'sort');
  if (combined !== undefined) {
    if (params.some(([k]) => k === 'sort_key' || k === 'sort_dir')) {
      throw glanceErrors.badRequest('Old and new sorting syntax cannot be combined');
    }
    for (const part of combined.trim().split(',')) {
      const sep = part.indexOf(':');
      const key = sep < 0 ? part : part.slice(0, sep);
      const dir = sep < 0 ? '' : part.slice(sep + 1);
      keys.push(validKey(key.trim()));
      dirs.push(validDir(dir.trim() || 'desc'));
    }
  } else {
    keys = popAll(params, 'sort_key').map((k) => validKey(k.trim()));
    dirs = popAll(params, 'sort_dir').map((d) => validDir(d.trim()));
    if (dirs.length > 1 && dirs.length !== keys.length) {
      throw glanceErrors.badRequest('Number of sort dirs does not match the number of sort keys');
    }
  }
  if (keys.length === 0) keys = ['created_at'];
  let defaultDir: SortDir = 'desc';
  if (dirs.length === 0) dirs = keys.map(() => 'desc');
  else if (dirs.length === 1) {
    defaultDir = dirs[0]!;
    dirs = keys.map(() => defaultDir);
  }
  const sort = keys.map((key, i) => ({ key, dir: dirs[i]! }));
  // Glance always breaks ties by created_at, then id
  for (const key of ['created_at', 'id'] as const) {
    if (!keys.includes(key)) sort.push({ key, dir: defaultDir });
  }
  return sort;
}

const OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
};

/** glance.common.utils.split_filter_op: a bare ISO time (colons and all) means `eq`. */
function splitFilterOp(expression: string): { op: string; threshold: string } {
  const sep = expression.indexOf(':');
  if (sep < 0 || parseIsoTime(expression) !== null) return { op: 'eq', threshold: expression.trim() };
  return { op: expression.slice(0, sep), threshold: expression.slice(sep + 1).trim() };
}

const ISO_TIME =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/i;

/** iso8601.parse_date as oslo's parse_isotime uses it; epoch milliseconds or null. */
export function parseIsoTime(text: string): number | null {
  const m = ISO_TIME.exec(text);
  if (!m) return null;
  const [, y, mo = '1', d = '1', h = '0', mi = '0', s = '0', frac = '', tz] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return null;
  let ms = Date.UTC(
    Number(y),
    month - 1,
    day,
    Number(h),
    Number(mi),
    Number(s),
    Number(`0.${frac || '0'}`) * 1000,
  );
  if (new Date(ms).getUTCDate() !== day) return null;
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
  }
  return ms;
}

const LIST_FIELDS = new Set(['name', 'status', 'id', 'container_format', 'disk_format']);
const EXACT_FIELDS = new Set([
  ...LIST_FIELDS,
  'owner',
  'checksum',
  'os_hash_value',
  'os_hash_algo',
  'size',
  'virtual_size',
  'min_ram',
  'min_disk',
]);
const RANGE_FIELDS = new Set(['size', 'virtual_size', 'min_ram', 'min_disk']);

function filterOn(key: string, value: string): (image: ImageRecord) => boolean {
  const rangeField = key.slice(0, -4);
  if ((key.endsWith('_min') || key.endsWith('_max')) && RANGE_FIELDS.has(rangeField)) {
    if (!/^\s*[+-]?\d+\s*$/.test(value))
      throw glanceErrors.badRequest('Unable to filter on a range with a non-numeric value.');
    const bound = Number(value.trim());
    const field = rangeField as 'size';
    return key.endsWith('_min')
      ? (image) => image[field] !== null && image[field] >= bound
      : (image) => image[field] !== null && image[field] <= bound;
  }
  if (EXACT_FIELDS.has(key)) {
    const field = key as 'name';
    if (LIST_FIELDS.has(key) && value.startsWith('in:')) {
      const wanted = splitQuoted(value.slice(3));
      return (image) => image[field] !== null && wanted.includes(String(image[field]));
    }
    return (image) => image[field] !== null && String(image[field]) === value;
  }
  // anything else filters on a custom property of that name
  return (image) => Object.hasOwn(image.properties, key) && image.properties[key] === value;
}

/** glance.common.utils.split_filter_value_for_quotes: `a,"b,c"` → a | b,c. */
function splitQuoted(text: string): string[] {
  const values: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && quoted && i + 1 < text.length) current += text[++i];
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      values.push(current);
      current = '';
    } else current += ch;
  }
  values.push(current);
  return values;
}

/** Orders images by the query's sort keys (nulls first ascending, as Glance's SQL does). */
export function compareBy(sort: ListQuery['sort']): (a: ImageRecord, b: ImageRecord) => number {
  return (a, b) => {
    for (const { key, dir } of sort) {
      const x = a[key];
      const y = b[key];
      if (x === y) continue;
      const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return dir === 'asc' ? order : -order;
    }
    return 0;
  };
}

/** Python's urlencode: quote_plus, unreserved `_.-~` and alphanumerics kept. */
export function pythonUrlencode(pairs: [string, string][]): string {
  const quote = (s: string) =>
    encodeURIComponent(s)
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  return pairs.map(([k, v]) => `${quote(k)}=${quote(v)}`).join('&');
}

/**
 * `first` and `next` as Glance builds them from `dict(request.params)`: one
 * entry per name, at its first position, with its last value; marker last in `next`.
 */
export function pageLinks(query: Params, nextMarker: string | undefined): { first: string; next?: string } {
  const dict = new Map<string, string>();
  for (const [k, v] of query) dict.set(k, v);
  dict.delete('marker');
  const encoded = pythonUrlencode([...dict]);
  const links: { first: string; next?: string } = { first: encoded ? `/v2/images?${encoded}` : '/v2/images' };
  if (nextMarker !== undefined) {
    dict.set('marker', nextMarker);
    links.next = `/v2/images?${pythonUrlencode([...dict])}`;
  }
  return links;
}
