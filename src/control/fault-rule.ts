import { badRequest } from './errors.js';
import { patternProblem } from './pattern.js';

/** What a fault does to a request it hits. Latency and throttle combine with the rest. */
export interface FaultEffect {
  /** Delay before answering: fixed milliseconds, or uniformly random in [min, max]. */
  latency?: number | { min: number; max: number };
  /** Answer with this status, in the provider's own error format. */
  status?: number;
  /** The error message for `status` (the provider's wording of its reason phrase otherwise). */
  message?: string;
  /** Answer 429 (or `status`) with `Retry-After: <seconds>`. */
  retryAfter?: number;
  /** Close the connection without answering. */
  drop?: boolean;
  /** Send the answer at this many bytes per second. */
  throttle?: number;
}

/** Which requests a fault hits, and for how long it lasts. */
export interface FaultRule extends FaultEffect {
  provider?: string;
  method?: string | string[];
  /** Glob over the request path: `*` within a segment, `**` across. */
  path?: string;
  /** Hit only the next n matching requests. */
  times?: number;
  /** Active for this many milliseconds (wall clock) from now. */
  durationMs?: number;
  /** Hit a matching request with this probability (0..1), drawn from a seeded sequence. */
  probability?: number;
  /** Seed of the probability and random-latency sequence (default: the mock's seed). */
  seed?: number;
}

const EFFECT_KEYS = ['latency', 'status', 'message', 'retryAfter', 'drop', 'throttle'] as const;
const RULE_KEYS = [
  'provider',
  'method',
  'path',
  'times',
  'durationMs',
  'probability',
  'seed',
  ...EFFECT_KEYS,
];

const isInt = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

const MAX_DELAY_MS = 10 * 60_000;

export function parseFaultEffect(raw: Record<string, unknown>, where: string): FaultEffect {
  const effect: FaultEffect = {};
  const fail = (message: string) => badRequest(`${where}: ${message}`);
  if (raw.latency !== undefined) {
    const l = raw.latency as { min?: unknown; max?: unknown };
    if (isInt(raw.latency, 0, MAX_DELAY_MS)) effect.latency = raw.latency;
    else if (
      typeof l === 'object' &&
      l !== null &&
      isInt(l.min, 0, MAX_DELAY_MS) &&
      isInt(l.max, l.min, MAX_DELAY_MS)
    )
      effect.latency = { min: l.min, max: l.max };
    else
      throw fail(
        `latency must be milliseconds (0..${MAX_DELAY_MS}) or {"min": ms, "max": ms} with min <= max`,
      );
  }
  if (raw.status !== undefined) {
    if (!isInt(raw.status, 400, 599)) throw fail('status must be an HTTP error status from 400 to 599');
    effect.status = raw.status;
  }
  if (raw.message !== undefined) {
    if (typeof raw.message !== 'string' || raw.message.length > 1000)
      throw fail('message must be text of at most 1000 characters');
    effect.message = raw.message;
  }
  if (raw.retryAfter !== undefined) {
    if (!isInt(raw.retryAfter, 0, 86_400)) throw fail('retryAfter must be whole seconds from 0 to 86400');
    effect.retryAfter = raw.retryAfter;
  }
  if (raw.drop !== undefined) {
    if (typeof raw.drop !== 'boolean') throw fail('drop must be true or false');
    effect.drop = raw.drop;
  }
  if (raw.throttle !== undefined) {
    if (!isInt(raw.throttle, 1, 2 ** 31 - 1))
      throw fail('throttle must be bytes per second (a positive integer)');
    effect.throttle = raw.throttle;
  }
  if (effect.drop && (effect.status !== undefined || effect.retryAfter !== undefined || effect.throttle)) {
    throw fail('drop closes the connection, so it cannot be combined with status, retryAfter or throttle');
  }
  if (effect.message !== undefined && effect.status === undefined && effect.retryAfter === undefined) {
    throw fail('message needs a status (or retryAfter) to go with');
  }
  if (
    !effect.drop &&
    effect.status === undefined &&
    effect.retryAfter === undefined &&
    !effect.throttle &&
    effect.latency === undefined
  ) {
    throw fail('say what the fault does: latency, status, retryAfter, drop or throttle');
  }
  return effect;
}

export function parseFaultRule(raw: unknown, providers: readonly string[]): FaultRule {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw badRequest('fault: body must be a JSON object');
  const input = raw as Record<string, unknown>;
  const unknown = Object.keys(input).find((k) => !RULE_KEYS.includes(k));
  if (unknown !== undefined)
    throw badRequest(`fault: unknown field '${unknown}' (known: ${RULE_KEYS.join(', ')})`);
  const rule: FaultRule = parseFaultEffect(input, 'fault');
  const fail = (message: string) => badRequest(`fault: ${message}`);
  if (input.provider !== undefined) {
    if (typeof input.provider !== 'string' || !providers.includes(input.provider))
      throw fail(`provider must be one of ${providers.join(', ')}`);
    rule.provider = input.provider;
  }
  if (input.method !== undefined) {
    const list = Array.isArray(input.method) ? input.method : [input.method];
    if (list.length === 0 || list.some((m) => typeof m !== 'string' || !/^[A-Za-z]+$/.test(m)))
      throw fail('method must be an HTTP method name or a list of them');
    rule.method = (list as string[]).map((m) => m.toUpperCase());
    if (rule.method.length === 1) rule.method = rule.method[0];
  }
  if (input.path !== undefined) {
    if (typeof input.path !== 'string' || !input.path.startsWith('/'))
      throw fail('path must be a pattern starting with / (* within a segment, ** across)');
    const problem = patternProblem(input.path);
    if (problem !== null) throw fail(problem);
    rule.path = input.path;
  }
  if (input.times !== undefined) {
    if (!isInt(input.times, 1, 1_000_000)) throw fail('times must be a positive integer');
    rule.times = input.times;
  }
  if (input.durationMs !== undefined) {
    if (!isInt(input.durationMs, 1, 7 * 24 * 3_600_000))
      throw fail('durationMs must be a positive integer (at most a week)');
    rule.durationMs = input.durationMs;
  }
  if (input.probability !== undefined) {
    const p = input.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw fail('probability must be a number from 0 to 1');
    rule.probability = p;
  }
  if (input.seed !== undefined) {
    if (!isInt(input.seed, 0, 2 ** 32 - 1)) throw fail('seed must be a non-negative integer');
    rule.seed = input.seed;
  }
  return rule;
}

/**
 * The per-request header, for clients that can add one:
 * `X-Mock-Fault: status=503; latency=200`, `latency=100-300`, `drop`,
 * `throttle=1024`, `retry-after=30`, `message=Maintenance`.
 */
export function parseFaultHeader(value: string): FaultEffect {
  const raw: Record<string, unknown> = {};
  const names: Record<string, string> = {
    status: 'status',
    latency: 'latency',
    drop: 'drop',
    throttle: 'throttle',
    'retry-after': 'retryAfter',
    retryafter: 'retryAfter',
    message: 'message',
  };
  for (const part of value.split(';')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const text = eq < 0 ? undefined : item.slice(eq + 1).trim();
    // own names only: `constructor` or `toString` is no setting
    const key = Object.hasOwn(names, name) ? names[name] : undefined;
    if (!key)
      throw badRequest(
        `X-Mock-Fault: unknown setting '${name}' (known: status, latency, drop, throttle, retry-after, message)`,
      );
    if (key === 'drop') raw.drop = text === undefined || text === 'true';
    else if (key === 'message') raw.message = text ?? '';
    else if (key === 'latency' && text && /^\d+-\d+$/.test(text)) {
      const [min, max] = text.split('-').map(Number);
      raw.latency = { min, max };
    } else if (text !== undefined && /^\d+$/.test(text)) raw[key] = Number(text);
    else throw badRequest(`X-Mock-Fault: ${name} needs a whole number, got '${text ?? ''}'`);
  }
  return parseFaultEffect(raw, 'X-Mock-Fault');
}

export function describeEffect(effect: FaultEffect): string {
  const parts: string[] = [];
  if (effect.latency !== undefined)
    parts.push(
      typeof effect.latency === 'number'
        ? `latency=${effect.latency}`
        : `latency=${effect.latency.min}-${effect.latency.max}`,
    );
  if (effect.drop) parts.push('drop');
  if (effect.status !== undefined || effect.retryAfter !== undefined)
    parts.push(`status=${effect.status ?? 429}`);
  if (effect.retryAfter !== undefined) parts.push(`retry-after=${effect.retryAfter}`);
  if (effect.throttle) parts.push(`throttle=${effect.throttle}`);
  return parts.join('; ');
}
