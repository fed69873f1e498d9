import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  /** Seconds per measured run. */
  duration: number;
  /** Seconds of warm-up (JIT, caches, sockets) before the measured runs; not recorded. */
  warmup: number;
  runs: number;
}

export interface Target {
  /** Several URLs: autocannon gives connection i the URL i mod their number (one sandbox per connection). */
  url: string | string[];
  /** The server process: its CPU time per request is measured from /proc. */
  pid?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh body per request (creates need unique names). */
  body?: () => string;
  /**
   * A sequence each connection walks in a loop (mixed traffic). A request's
   * `setupRequest` gets the connection's own URL path as `path` (its sandbox
   * base), so it can append the provider path to it.
   */
  requests?: autocannon.Request[];
}

/** One figure: medians over several runs. */
export interface Figure {
  rps: number;
  p50: number;
  p99: number;
  /**
   * CPU time the server process spent per request (user + system, all its
   * threads), median of the runs. Unlike req/s it hardly moves when other
   * work shares the machine, so ratios are computed from it.
   */
  cpuUs: number;
  /** Every run's requests/s, to show the spread. */
  runs: number[];
  /** 2xx answers over the warm-up and every run (for creates: records the server said it stored). */
  acknowledged: number;
  /** Answers other than 2xx and socket errors across all runs; a figure with any is not a valid measurement. */
  failures: number;
}

/** Requests/s one core would sustain at the measured CPU cost per request. */
export const capacity = (f: Figure) => (f.cpuUs > 0 ? Math.round(1e6 / f.cpuUs) : 0);

export function measure(target: Target, s: LoadSettings): Promise<Figure> {
  return measureInterleaved([target], s).then((f) => f[0]!);
}

/**
 * Several servers measured in turns (A B C, B C A, C A B ...) rather than
 * one after another, so that a burst of other work on the machine lands on
 * all of them alike.
 */
export async function measureInterleaved(targets: Target[], s: LoadSettings): Promise<Figure[]> {
  const warm: number[] = [];
  for (const t of targets)
    warm.push(s.warmup > 0 ? (await once(t, s.connections, s.warmup)).result['2xx'] : 0);
  const runs: Run[][] = targets.map(() => []);
  for (let r = 0; r < s.runs; r++) {
    // each round starts one server later, so none is always measured right after the same other one
    for (let k = 0; k < targets.length; k++) {
      const i = (k + r) % targets.length;
      runs[i]!.push(await once(targets[i]!, s.connections, s.duration));
    }
  }
  return runs.map((rs, i) => figure(rs, warm[i]!));
}

interface Run {
  result: autocannon.Result;
  rps: number;
  cpuUs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function figure(rs: Run[], warmOk: number): Figure {
  const byRps = [...rs].sort((a, b) => a.rps - b.rps);
  const mid = byRps[Math.floor(byRps.length / 2)]!;
  return {
    rps: Math.round(mid.rps),
    p50: mid.result.latency.p50,
    p99: mid.result.latency.p99,
    cpuUs: Math.round(median(rs.map((r) => r.cpuUs)) * 10) / 10,
    runs: rs.map((r) => Math.round(r.rps)),
    acknowledged: rs.reduce((n, r) => n + r.result['2xx'], warmOk),
    failures: rs.reduce((n, r) => n + r.result.non2xx + r.result.errors, 0),
  };
}

async function once(target: Target, connections: number, duration: number): Promise<Run> {
  const { body } = target;
  const cpuBefore = target.pid ? cpuMs(target.pid) : 0;
  const result = await autocannon({
    // autocannon takes several URLs (its README); @types/autocannon declares one
    url: target.url as string,
    method: target.method ?? 'GET',
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...target.headers },
    connections,
    duration,
    pipelining: 1,
    // bounded: a stalled server ends the run instead of hanging the benchmark
    timeout: 10,
    ...(target.requests
      ? { requests: target.requests }
      : body
        ? { requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }] }
        : {}),
  });
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  const cpu = target.pid ? cpuMs(target.pid) - cpuBefore : 0;
  return {
    result,
    rps: result['2xx'] / result.duration,
    cpuUs: answered > 0 ? (cpu * 1000) / answered : 0,
  };
}

let ticksPerSecond: number | null = null;

/** User + system CPU time of a process so far, from /proc/<pid>/stat (Linux). */
function cpuMs(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after "pid (comm) ": state is the 3rd field, utime the 14th, stime the 15th
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}
