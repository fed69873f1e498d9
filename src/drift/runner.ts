import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CREDENTIAL_HEADERS } from '../http/credentials.js';
import { MASK, maskJson, SECRET_KEY, SecretSet } from '../record/mask.js';
import { type DeliberateRule, markDeliberate } from './deliberate.js';
import { type Difference, diffJson } from './difference.js';
import { isTextualType } from '../http/content-type.js';
import { type Answer, call } from './http-call.js';
import { normaliseJson, normaliseText, type SideContext } from './normalize.js';
import type { Scenario, Step } from './scenario.js';
import { diffSerialization } from './serialization.js';

export interface Side {
  base: string;
  token: string;
}

export interface StepResult {
  name: string;
  method: string;
  path: string;
  status: { real?: number; mock?: number };
  differences: Difference[];
  /** Why the step did not run (a value it needs was not captured on one side). */
  skipped?: string;
}

export interface DriftReport {
  provider: string;
  real: string;
  mock: string;
  allowWrites: boolean;
  steps: StepResult[];
  summary: { steps: number; drifted: number; deliberate: number; skipped: number; differences: number };
}

const WRONG_TOKEN = 'drift-check-wrong-credential';

export const drifted = (step: StepResult) => step.differences.some((d) => !d.deliberate);

/**
 * Runs the scenario step by step against both sides (real first, then the
 * mock) and compares the normalised answers.
 */
export async function runDrift(
  scenario: Scenario,
  real: Side,
  mock: Side,
  options: {
    allowWrites: boolean;
    deliberate: readonly DeliberateRule[];
    runId?: string;
    params?: Record<string, string>;
  },
): Promise<DriftReport> {
  const runId = options.runId ?? randomBytes(4).toString('hex');
  const sides = {
    real: { side: real, ctx: { base: real.base, vars: new Map<string, string>() } },
    mock: { side: mock, ctx: { base: mock.base, vars: new Map<string, string>() } },
  };
  const params = Object.fromEntries(
    Object.entries(scenario.params ?? {}).map(([k, p]) => [k, options.params?.[k] ?? p.default]),
  );
  const steps = scenario
    .steps({ allowWrites: options.allowWrites, runId, params })
    .filter((s) => options.allowWrites || !s.write);
  const results: StepResult[] = [];
  for (const step of steps) {
    const missing = [...step.path.matchAll(/\{(\w[\w-]*)\}/g)]
      .map((m) => m[1]!)
      .filter((v) => !sides.real.ctx.vars.has(v) || !sides.mock.ctx.vars.has(v));
    if (missing.length) {
      results.push({
        name: step.name,
        method: step.method,
        path: step.path,
        status: {},
        differences: [],
        skipped: `no ${missing.join(', ')} captured on ${missing.some((v) => !sides.real.ctx.vars.has(v)) ? 'the real side' : 'the mock'}`,
      });
      continue;
    }
    const as = (side: 'real' | 'mock') =>
      step.as === undefined
        ? undefined
        : side === 'mock'
          ? params[`mock-${step.as}`] || params[step.as]
          : params[step.as];
    const realAnswer = await sendUntil(scenario, step, sides.real.side, sides.real.ctx, as('real'));
    const mockAnswer = await sendUntil(scenario, step, sides.mock.side, sides.mock.ctx, as('mock'));
    capture(step, realAnswer, sides.real.ctx);
    capture(step, mockAnswer, sides.mock.ctx);
    const differences = compare(scenario, realAnswer, mockAnswer, sides.real.ctx, sides.mock.ctx);
    markDeliberate(step.name, differences, options.deliberate);
    hideSecrets(differences);
    results.push({
      name: step.name,
      method: step.method,
      path: step.path,
      status: { real: realAnswer.status, mock: mockAnswer.status },
      differences,
    });
  }
  return {
    provider: scenario.provider,
    real: real.base,
    mock: mock.base,
    allowWrites: options.allowWrites,
    steps: results,
    summary: {
      steps: results.length,
      drifted: results.filter(drifted).length,
      deliberate: results.reduce((n, r) => n + r.differences.filter((d) => d.deliberate).length, 0),
      skipped: results.filter((r) => r.skipped).length,
      differences: results.reduce((n, r) => n + r.differences.filter((d) => !d.deliberate).length, 0),
    },
  };
}

/** A credential in an answer (a login's token, a password echoed back) is reported as differing, never shown. */
function hideSecrets(differences: Difference[]): void {
  for (const d of differences) {
    const last = /(?:\.|\[")([^.[\]"]+)"?\]?$/.exec(d.path)?.[1] ?? '';
    if (SECRET_KEY.test(last) || (d.kind === 'header' && CREDENTIAL_HEADERS.includes(d.path))) {
      if (d.real !== undefined) d.real = MASK;
      if (d.mock !== undefined) d.mock = MASK;
    } else {
      if (d.real !== undefined) d.real = maskJson(d.real, new SecretSet());
      if (d.mock !== undefined) d.mock = maskJson(d.mock, new SecretSet());
    }
  }
}

const UNTIL_ATTEMPTS = 120;
const UNTIL_INTERVAL_MS = 250;

/** Sends the step; with `until`, again until its answer satisfies it or the attempts run out. */
async function sendUntil(
  scenario: Scenario,
  step: Step,
  side: Side,
  ctx: SideContext,
  as?: string,
): Promise<Answer> {
  let answer = await send(scenario, step, side, ctx, as);
  for (let attempt = 1; step.until && attempt < UNTIL_ATTEMPTS; attempt++) {
    if (step.until(parseJson(answer.body))) break;
    await new Promise((resolve) => setTimeout(resolve, UNTIL_INTERVAL_MS));
    answer = await send(scenario, step, side, ctx, as);
  }
  return answer;
}

function send(scenario: Scenario, step: Step, side: Side, ctx: SideContext, as?: string): Promise<Answer> {
  const fill = (text: string) => text.replace(/\{(\w[\w-]*)\}/g, (m, v: string) => ctx.vars.get(v) ?? m);
  const credentials = step.credentials ?? 'valid';
  const headers: Record<string, string> = {
    ...(credentials === 'valid' ? scenario.credentialHeaders(as ?? side.token) : {}),
    ...(credentials === 'wrong' ? scenario.credentialHeaders(WRONG_TOKEN) : {}),
  };
  for (const [k, v] of Object.entries(step.headers ?? {})) headers[k] = fill(v);
  let body: Buffer | undefined;
  if (step.json !== undefined) {
    body = Buffer.from(fill(JSON.stringify(step.json)));
    headers['Content-Type'] ??= 'application/json';
  } else if (step.raw !== undefined) {
    body = typeof step.raw === 'string' ? Buffer.from(fill(step.raw)) : step.raw;
  }
  return call(side.base, step.method, fill(step.path), headers, body);
}

function capture(step: Step, answer: Answer, ctx: SideContext): void {
  if (!step.capture) return;
  const json = parseJson(answer.body);
  for (const [name, from] of Object.entries(step.capture)) {
    const value = from.startsWith('header:')
      ? headerText(answer.headers, from.slice(7))
      : json !== undefined && typeof json === 'object' && json !== null
        ? (json as Record<string, unknown>)[from]
        : undefined;
    if (typeof value === 'string' && value !== '') ctx.vars.set(name, value);
  }
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function compare(
  scenario: Scenario,
  real: Answer,
  mock: Answer,
  realCtx: SideContext,
  mockCtx: SideContext,
): Difference[] {
  const out: Difference[] = [];
  if (real.status !== mock.status)
    out.push({ kind: 'status', path: 'status', real: real.status, mock: mock.status });
  for (const name of scenario.headers) {
    const r = headerText(real.headers, name);
    const m = headerText(mock.headers, name);
    const rn = r === undefined ? undefined : normaliseText(r, realCtx);
    const mn = m === undefined ? undefined : normaliseText(m, mockCtx);
    if (rn !== mn)
      out.push({ kind: 'header', path: name.toLowerCase(), real: rn ?? '(absent)', mock: mn ?? '(absent)' });
  }
  for (const name of scenario.presenceHeaders ?? []) {
    const r = headerText(real.headers, name) !== undefined;
    const m = headerText(mock.headers, name) !== undefined;
    if (r !== m)
      out.push({
        kind: 'header',
        path: name.toLowerCase(),
        real: r ? '(present)' : '(absent)',
        mock: m ? '(present)' : '(absent)',
      });
  }
  out.push(...compareBodies(scenario, real, mock, realCtx, mockCtx));
  return out;
}

function compareBodies(
  scenario: Scenario,
  real: Answer,
  mock: Answer,
  realCtx: SideContext,
  mockCtx: SideContext,
): Difference[] {
  const realType = headerText(real.headers, 'content-type') ?? '';
  const mockType = headerText(mock.headers, 'content-type') ?? '';
  if (real.body.length === 0 && mock.body.length === 0) return [];
  if (!isTextualType(realType) || !isTextualType(mockType)) {
    const digest = (b: Buffer) =>
      `${b.length} bytes, sha256 ${createHash('sha256').update(b).digest('hex').slice(0, 16)}…`;
    return real.body.equals(mock.body)
      ? []
      : [{ kind: 'body', path: '$', real: digest(real.body), mock: digest(mock.body) }];
  }
  const realJson = parseJson(real.body);
  const mockJson = parseJson(mock.body);
  if (realJson !== undefined && mockJson !== undefined) {
    const rules = scenario.normalise ?? {};
    return [
      ...diffJson(normaliseJson(realJson, realCtx, rules), normaliseJson(mockJson, mockCtx, rules)),
      ...diffSerialization(real.body.toString('utf8'), mock.body.toString('utf8')),
    ];
  }
  const r = normaliseText(real.body.toString('utf8'), realCtx);
  const m = normaliseText(mock.body.toString('utf8'), mockCtx);
  if (r === m) return [];
  return [{ kind: 'body', path: '$', real: excerpt(r, m), mock: excerpt(m, r) }];
}

/** The text around where two bodies start to differ. */
function excerpt(text: string, other: string): string {
  let i = 0;
  while (i < text.length && text[i] === other[i]) i++;
  const start = Math.max(0, i - 40);
  return `${start > 0 ? '…' : ''}${text.slice(start, i + 80)}${i + 80 < text.length ? '…' : ''}`;
}
