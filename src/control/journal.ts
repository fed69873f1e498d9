import { badRequest } from './errors.js';
import { isStatusFilter, methodMatcher, pathPattern, patternProblem, statusMatcher } from './pattern.js';

export interface CapturedBody {
  /** The first `bodyBytes` bytes as text; null when empty or binary. */
  body: string | null;
  /** The whole body's size. */
  bytes: number;
  truncated: boolean;
}

/** One request and its answer, credentials masked. */
export interface JournalEntry {
  /** Increasing from 1; `since=<id>` lists what came after. */
  id: number;
  /** Wall-clock time the request arrived (not the mock clock: tests may freeze that). */
  time: string;
  /** The sandbox that served it, null for the main instance. */
  sandbox: string | null;
  /** The provider whose router took it, null outside every provider's paths. */
  provider: string | null;
  method: string;
  /** Path as the provider saw it (without a sandbox prefix), without the query. */
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  request: CapturedBody;
  /** null when the connection ended before an answer (a dropped connection). */
  status: number | null;
  responseHeaders: Record<string, string>;
  response: CapturedBody;
  durationMs: number;
  /** The injected fault that shaped the answer, if any. */
  fault: string | null;
}

export interface JournalFilter {
  provider?: string;
  method?: string | string[];
  /** Glob: `*` within a segment, `**` across. */
  path?: string;
  /** Exact (`404`) or a class (`4xx`). */
  status?: string | number;
  /** Entries after this id, or at/after this ISO time. */
  since?: number | string;
  /** Only the most recent n matches. */
  limit?: number;
}

export interface JournalSettings {
  enabled: boolean;
  /** Entries kept; the oldest go first. */
  size: number;
  /** Bytes of each body kept. */
  bodyBytes: number;
}

/** An entry as recorded: made (decoded, masked) when the journal is first read; the journal sets its id. */
export interface PendingEntry {
  id?: number;
  make(): Omit<JournalEntry, 'id'>;
}

/** A bounded, in-memory record of the requests one mock instance served. */
export class Journal {
  private entries: (JournalEntry | PendingEntry)[] = [];
  private nextId = 1;
  private current: JournalSettings;

  constructor(settings: JournalSettings) {
    this.current = { ...settings };
  }

  get settings(): JournalSettings {
    return { ...this.current };
  }

  configure(change: Partial<JournalSettings>): JournalSettings {
    this.current = { ...this.current, ...change };
    this.trim();
    return this.settings;
  }

  /** Bytes of each body an entry keeps (read per request: no copy of the settings). */
  get bodyBytes(): number {
    return this.current.bodyBytes;
  }

  get recording(): boolean {
    return this.current.enabled && this.current.size > 0;
  }

  /** Takes the entry itself, or one that is made when the journal is read (answering stays cheap). */
  record(entry: Omit<JournalEntry, 'id'> | PendingEntry): void {
    if (!this.recording) return;
    const id = this.nextId++;
    if ('make' in entry) {
      // no wrapper per request: the pending entry carries its id
      entry.id = id;
      this.entries.push(entry);
    } else this.entries.push({ id, ...entry });
    // dropping the oldest one at a time would shift the whole array on every request: drop a quarter at once
    const { size } = this.current;
    if (this.entries.length > size + Math.max(16, size >> 2)) this.trim();
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    const matches = this.made().filter(compileFilter(filter));
    return filter.limit === undefined ? matches : matches.slice(Math.max(0, matches.length - filter.limit));
  }

  /** One entry by its id; undefined once it was dropped or cleared. */
  get(id: number): JournalEntry | undefined {
    return this.made().find((e) => e.id === id);
  }

  count(filter: JournalFilter = {}): number {
    return this.made().filter(compileFilter(filter)).length;
  }

  private made(): JournalEntry[] {
    this.trim();
    const { entries } = this;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if ('make' in e) entries[i] = { id: e.id!, ...e.make() };
    }
    return entries as JournalEntry[];
  }

  /** Ids keep increasing after a clear, so `since` stays meaningful. */
  clear(): void {
    this.entries = [];
  }

  /** The id the next entry will get. */
  get next(): number {
    return this.nextId;
  }

  private trim(): void {
    const excess = this.entries.length - this.current.size;
    if (excess > 0) this.entries.splice(0, excess);
  }
}

function compileFilter(filter: JournalFilter): (e: JournalEntry) => boolean {
  const method = methodMatcher(filter.method);
  const path = filter.path === undefined ? () => true : pathPattern(filter.path);
  const status = statusMatcher(filter.status);
  const since = sinceMatcher(filter.since);
  return (e) =>
    (filter.provider === undefined || e.provider === filter.provider) &&
    method(e.method) &&
    path(e.path) &&
    (filter.status === undefined || (e.status !== null && status(e.status))) &&
    since(e);
}

function sinceMatcher(since: number | string | undefined): (e: JournalEntry) => boolean {
  if (since === undefined) return () => true;
  if (typeof since === 'number') return (e) => e.id > since;
  const at = Date.parse(since);
  return (e) => Date.parse(e.time) >= at;
}

const FILTER_KEYS = ['provider', 'method', 'path', 'status', 'since', 'limit'];

/** A filter from query parameters (HTTP) or a plain object (code), each value checked. */
export function parseJournalFilter(raw: Record<string, unknown>): JournalFilter {
  const unknown = Object.keys(raw).find((k) => !FILTER_KEYS.includes(k));
  if (unknown !== undefined) {
    throw badRequest(`journal filter: unknown parameter '${unknown}' (known: ${FILTER_KEYS.join(', ')})`);
  }
  const filter: JournalFilter = {};
  const one = (key: string): string | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw badRequest(`journal filter: '${key}' must be given once, as text`);
    }
    return String(value);
  };
  const provider = one('provider');
  if (provider !== undefined) filter.provider = provider;
  const method = raw.method;
  if (method !== undefined) {
    const list: unknown[] =
      typeof method === 'string' ? method.split(',') : Array.isArray(method) ? method : [method];
    if (list.some((m) => typeof m !== 'string' || !/^[A-Za-z]+$/.test(m))) {
      throw badRequest('journal filter: method must be HTTP method names, e.g. GET or GET,POST');
    }
    filter.method = list as string[];
  }
  const path = one('path');
  if (path !== undefined) {
    const problem = patternProblem(path);
    if (problem !== null) throw badRequest(`journal filter: ${problem}`);
    filter.path = path;
  }
  const status = one('status');
  if (status !== undefined) {
    if (!isStatusFilter(status))
      throw badRequest(`journal filter: status must be like 404 or 4xx, got '${status}'`);
    filter.status = status;
  }
  const since = one('since');
  if (since !== undefined) {
    if (/^\d+$/.test(since)) filter.since = Number(since);
    else if (!Number.isNaN(Date.parse(since)) && /^\d{4}-\d\d-\d\d/.test(since)) filter.since = since;
    else throw badRequest(`journal filter: since must be an entry id or an ISO 8601 time, got '${since}'`);
  }
  const limit = one('limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit))
      throw badRequest(`journal filter: limit must be a non-negative integer, got '${limit}'`);
    filter.limit = Number(limit);
  }
  return filter;
}

export function parseJournalSettings(raw: Record<string, unknown>): Partial<JournalSettings> {
  const known = ['enabled', 'size', 'bodyBytes'];
  const unknown = Object.keys(raw).find((k) => !known.includes(k));
  if (unknown !== undefined)
    throw badRequest(`journal settings: unknown field '${unknown}' (known: ${known.join(', ')})`);
  const out: Partial<JournalSettings> = {};
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled !== 'boolean') throw badRequest('journal settings: enabled must be true or false');
    out.enabled = raw.enabled;
  }
  for (const key of ['size', 'bodyBytes'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 16 * 1024 * 1024) {
      throw badRequest(`journal settings: ${key} must be an integer from 0 to 16777216`);
    }
    out[key] = value as number;
  }
  return out;
}
