/**
 * The path matcher that journal filters and fault rules share
 * (src/control/pattern.ts, from the build) on the input that once hung the
 * server: a 1,000-segment path against a pattern of 100 wildcards that it
 * does not match, and one that it does. In-process, no server: the figure
 * is the matcher's own time.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { root } from './processes.js';

export interface PatternResult {
  /** Median milliseconds of one compile-and-match, each case. */
  cases: { name: string; ms: number; matched: boolean }[];
  repeats: number;
}

interface PatternModule {
  pathPattern: (pattern: string) => (path: string) => boolean;
}

const REPEATS = 50;
const SEGMENTS = 1000;
const WILDCARDS = 100;

export async function patternBench(): Promise<PatternResult> {
  const { pathPattern } = (await import(
    pathToFileURL(path.join(root, 'dist/control/pattern.js')).href
  )) as PatternModule;
  const segments = Array.from({ length: SEGMENTS }, (_, i) => (i % 7 === 0 ? 'images' : 'a'));
  const longPath = `/${segments.join('/')}`;
  // journal filter: `**` across segments; fault rule: `*` within one and `**` across, mixed
  const globstars = `/${Array(WILDCARDS).fill('**').join('/')}/z`;
  const mixed = `/${Array.from({ length: WILDCARDS }, (_, i) => (i % 2 ? '*' : '**')).join('/')}/z`;
  const cases = [
    { name: `journal filter, ${WILDCARDS} × '**', no match`, pattern: globstars, path: longPath },
    { name: `fault rule, ${WILDCARDS} wildcards mixed, no match`, pattern: mixed, path: longPath },
    { name: `fault rule, ${WILDCARDS} wildcards mixed, match`, pattern: mixed, path: `${longPath}/z` },
  ];
  return {
    repeats: REPEATS,
    cases: cases.map((c) => {
      const times: number[] = [];
      let matched = false;
      for (let i = 0; i < REPEATS; i++) {
        const t = performance.now();
        matched = pathPattern(c.pattern)(c.path);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return { name: c.name, ms: Math.round(times[Math.floor(REPEATS / 2)]! * 1000) / 1000, matched };
    }),
  };
}
