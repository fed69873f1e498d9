import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError, InjectedFault } from '../http/api-error.js';
import { basePath } from '../http/base-url.js';
import { notFound } from './errors.js';
import { describeEffect, type FaultEffect, type FaultRule, parseFaultHeader } from './fault-rule.js';
import { methodMatcher, pathPattern } from './pattern.js';
import { seededRandom } from './random.js';
import { throttleResponse } from './throttle.js';

export const FAULT_HEADER = 'x-mock-fault';

/** A rule as listed: what it matches and does, and how often it fired. */
export interface Fault extends FaultRule {
  id: string;
  createdAt: string;
  /** Requests it has shaped so far. */
  hits: number;
  /** Wall-clock end of its time window, if it has one. */
  expiresAt: string | null;
  /** False once its `times` are used up or its window has passed. */
  active: boolean;
}

interface LiveFault {
  fault: Fault;
  /** `fault.expiresAt` as epoch milliseconds, parsed once when the rule is set (Infinity: no window). */
  expiresAtMs: number;
  /** Whether the rule looks at the path: only then is the provider path worked out for a request. */
  byPath: boolean;
  matches: (req: Request, res: Response, path: string) => boolean;
  random: () => number;
}

/** The fault rules of one mock instance, applied by a hook at the top of every provider router. */
export class FaultInjector {
  private rules: LiveFault[] = [];
  private counter = 0;
  private headerRandom: (() => number) | null = null;

  constructor(private readonly defaultSeed: () => number) {}

  /** Random latencies asked for by the per-request header come from one seeded sequence too. */
  drawForHeader(latency: FaultEffect['latency']): number | undefined {
    this.headerRandom ??= seededRandom(this.defaultSeed());
    return drawLatency(latency, this.headerRandom);
  }

  add(rule: FaultRule): Fault {
    const now = Date.now();
    const expiresAtMs = rule.durationMs === undefined ? Infinity : now + rule.durationMs;
    const fault: Fault = {
      id: `fault-${++this.counter}`,
      ...rule,
      createdAt: new Date(now).toISOString(),
      hits: 0,
      expiresAt: rule.durationMs === undefined ? null : new Date(expiresAtMs).toISOString(),
      active: true,
    };
    const method = methodMatcher(rule.method);
    const path = rule.path === undefined ? null : pathPattern(rule.path);
    this.rules.push({
      fault,
      expiresAtMs,
      byPath: path !== null,
      matches: (req, res, requestPath) =>
        (rule.provider === undefined || rule.provider === res.locals.provider) &&
        method(req.method) &&
        (path === null || path(requestPath)),
      random: seededRandom(rule.seed ?? this.defaultSeed()),
    });
    return { ...fault };
  }

  list(): Fault[] {
    this.expire();
    return this.rules.map((r) => ({ ...r.fault }));
  }

  get(id: string): Fault {
    const rule = this.rules.find((r) => r.fault.id === id);
    if (!rule) throw notFound(`no fault '${id}'`);
    this.expire();
    return { ...rule.fault };
  }

  remove(id: string): void {
    const index = this.rules.findIndex((r) => r.fault.id === id);
    if (index < 0) throw notFound(`no fault '${id}'`);
    this.rules.splice(index, 1);
  }

  clear(): void {
    this.rules = [];
  }

  /** The first active rule that matches and (for a probability) draws a hit; it counts the hit. */
  pick(req: Request, res: Response): { effect: FaultEffect; label: string } | null {
    if (this.rules.length === 0) return null; // the usual case: no clock read, no path worked out
    this.expire();
    let path: string | null = null;
    for (const rule of this.rules) {
      const { fault } = rule;
      if (!fault.active) continue;
      if (rule.byPath) path ??= providerPath(req, res);
      if (!rule.matches(req, res, path ?? '')) continue;
      if (fault.probability !== undefined && !(rule.random() < fault.probability)) continue;
      fault.hits += 1;
      if (fault.times !== undefined && fault.hits >= fault.times) fault.active = false;
      return {
        effect: { ...fault, latency: drawLatency(fault.latency, rule.random) },
        label: `${fault.id}: ${describeEffect(fault)}`,
      };
    }
    return null;
  }

  private expire(): void {
    const now = Date.now();
    for (const rule of this.rules) if (rule.expiresAtMs <= now) rule.fault.active = false;
  }
}

function drawLatency(latency: FaultEffect['latency'], random: () => number): number | undefined {
  if (latency === undefined || typeof latency === 'number') return latency;
  return latency.min + Math.floor(random() * (latency.max - latency.min + 1));
}

/** The request path without any sandbox prefix: what rules and journal filters match against. */
function providerPath(req: Request, res: Response): string {
  const full = req.baseUrl + req.path;
  const prefix = basePath(res);
  return prefix && full.startsWith(prefix) ? full.slice(prefix.length) : full;
}

/**
 * The provider hook: a per-request `X-Mock-Fault` header wins over the
 * rules. Runs inside the provider's router, so a forced status goes through
 * that provider's error renderer like any of its own errors.
 */
export function faultHook(injector: FaultInjector): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers[FAULT_HEADER];
    let chosen: { effect: FaultEffect; label: string } | null;
    if (header !== undefined) {
      let effect: FaultEffect;
      try {
        effect = parseFaultHeader(Array.isArray(header) ? header.join(';') : header);
      } catch (err) {
        return next(new ApiError(400, (err as Error).message));
      }
      effect.latency = injector.drawForHeader(effect.latency);
      chosen = { effect, label: `header: ${describeEffect(effect)}` };
    } else {
      chosen = injector.pick(req, res);
    }
    if (!chosen) return next();
    res.locals.fault = chosen.label;
    const apply = () => applyEffect(chosen.effect, req, res, next);
    const delay = chosen.effect.latency as number | undefined;
    if (delay) setTimeout(apply, delay);
    else apply();
  };
}

function applyEffect(effect: FaultEffect, req: Request, res: Response, next: NextFunction): void {
  if (req.socket.destroyed) return;
  if (effect.drop) {
    req.socket.destroy();
    return;
  }
  if (effect.throttle) throttleResponse(res, effect.throttle);
  if (effect.status !== undefined || effect.retryAfter !== undefined) {
    const status = effect.status ?? 429;
    const headers: Record<string, string> =
      effect.retryAfter === undefined ? {} : { 'Retry-After': String(effect.retryAfter) };
    return next(new InjectedFault(status, effect.message, headers));
  }
  next();
}
