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
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh body per request (creates need unique names). */
  body?: () => string;
}

/** One figure: the median run (by throughput) of several. */
export interface Figure {
  rps: number;
  p50: number;
  p99: number;
  /** Every run's requests/s, to show the spread. */
  runs: number[];
  /** 2xx answers over the warm-up and every run (for creates: records the server said it stored). */
  acknowledged: number;
  /** Answers other than 2xx and socket errors across all runs; a figure with any is not a valid measurement. */
  failures: number;
}

export async function measure(target: Target, s: LoadSettings): Promise<Figure> {
  const warm = s.warmup > 0 ? await once(target, s.connections, s.warmup) : null;
  const results: autocannon.Result[] = [];
  for (let i = 0; i < s.runs; i++) results.push(await once(target, s.connections, s.duration));
  const scored = results.map((r) => ({ r, rps: r['2xx'] / r.duration }));
  scored.sort((a, b) => a.rps - b.rps);
  const median = scored[Math.floor(scored.length / 2)]!;
  return {
    rps: Math.round(median.rps),
    p50: median.r.latency.p50,
    p99: median.r.latency.p99,
    runs: results.map((r) => Math.round(r['2xx'] / r.duration)),
    acknowledged: results.reduce((n, r) => n + r['2xx'], warm?.['2xx'] ?? 0),
    failures: results.reduce((n, r) => n + r.non2xx + r.errors, 0),
  };
}

function once(target: Target, connections: number, duration: number): Promise<autocannon.Result> {
  const { body } = target;
  return autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...target.headers },
    connections,
    duration,
    pipelining: 1,
    // bounded: a stalled server ends the run instead of hanging the benchmark
    timeout: 10,
    ...(body ? { requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }] } : {}),
  });
}
