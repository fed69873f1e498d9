import { badRequest } from './errors.js';

/** Longest pattern accepted, in characters and in `/`-separated segments (each answered with a 400). */
export const MAX_PATTERN_CHARS = 2048;
export const MAX_PATTERN_SEGMENTS = 256;

/** Why a pattern is refused, or null: checked where a filter or a rule is read, so the answer is a 400. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_CHARS)
    return `path pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_CHARS} are allowed`;
  let segments = 1;
  for (let i = 0; i < pattern.length; i++) if (pattern.charCodeAt(i) === SLASH) segments++;
  if (segments > MAX_PATTERN_SEGMENTS)
    return `path pattern has ${segments} segments; at most ${MAX_PATTERN_SEGMENTS} are allowed`;
  return null;
}

const SLASH = 0x2f;
/** Token codes besides a literal character's own code (which is never negative). */
const STAR = -1; // any run of characters other than '/'
const GLOBSTAR = -2; // any run of characters

/**
 * Path patterns shared by journal filters and fault rules: `*` matches
 * within one path segment, `**` across segments, everything else literally
 * (so one pattern with a star for the service and one for the environment
 * matches every CloudMC list call).
 *
 * Matching simulates the pattern's automaton over the path, one character
 * at a time, with the set of pattern positions still alive: it never
 * backtracks, so it takes at most (path length + 1) × (pattern tokens + 1)
 * steps whatever the pattern (a regular expression with several `.*`
 * backtracks exponentially on a path it does not match).
 */
export function pathPattern(pattern: string): (path: string) => boolean {
  const problem = patternProblem(pattern);
  if (problem !== null) throw badRequest(problem);
  const tokens = compile(pattern);
  if (!tokens.some((t) => t < 0)) return (path) => path === pattern;
  const matcher = new Matcher(tokens);
  return (path) => matcher.matches(path);
}

/** One token per literal character, `*` or `**`; a run of wildcards is one (`**` if any of it is). */
function compile(pattern: string): number[] {
  const tokens: number[] = [];
  for (let i = 0; i < pattern.length;) {
    if (pattern.charCodeAt(i) !== 0x2a) {
      tokens.push(pattern.charCodeAt(i));
      i += 1;
      continue;
    }
    let stars = 0;
    while (pattern.charCodeAt(i) === 0x2a) {
      stars++;
      i++;
    }
    tokens.push(stars >= 2 ? GLOBSTAR : STAR);
  }
  return tokens;
}

class Matcher {
  /** Alive pattern positions, for the character being read and the next one; `seen` dedupes by generation. */
  private current: Int32Array;
  private next: Int32Array;
  private seen: Uint32Array;
  private generation = 0;

  constructor(private readonly tokens: readonly number[]) {
    const size = tokens.length + 1;
    this.current = new Int32Array(size);
    this.next = new Int32Array(size);
    this.seen = new Uint32Array(size);
  }

  matches(path: string): boolean {
    const { tokens } = this;
    const end = tokens.length;
    this.newGeneration();
    let count = this.add(this.current, 0, 0);
    for (let p = 0; p < path.length && count > 0; p++) {
      const c = path.charCodeAt(p);
      const from = this.current;
      const to = this.next;
      this.newGeneration();
      let n = 0;
      for (let k = 0; k < count; k++) {
        const state = from[k]!;
        if (state === end) continue;
        const token = tokens[state]!;
        if (token === GLOBSTAR || (token === STAR && c !== SLASH)) n = this.add(to, n, state);
        else if (token === c) n = this.add(to, n, state + 1);
      }
      this.current = to;
      this.next = from;
      count = n;
    }
    for (let k = 0; k < count; k++) if (this.current[k] === end) return true;
    return false;
  }

  private newGeneration(): void {
    if (++this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.generation = 1;
    }
  }

  /** Adds a position and, past a wildcard (which may match nothing), the one after it. */
  private add(list: Int32Array, n: number, state: number): number {
    const { tokens, seen, generation } = this;
    for (;;) {
      if (seen[state] === generation) return n;
      seen[state] = generation;
      list[n++] = state;
      if (state === tokens.length || tokens[state]! >= 0) return n;
      state += 1;
    }
  }
}

/** Methods are compared case-insensitively; a list matches any of its members. */
export function methodMatcher(methods: string | string[] | undefined): (method: string) => boolean {
  if (methods === undefined) return () => true;
  const wanted = new Set((Array.isArray(methods) ? methods : [methods]).map((m) => m.toUpperCase()));
  return (method) => wanted.has(method.toUpperCase());
}

/** `503`, `5xx` or `4xx`. */
export function statusMatcher(status: string | number | undefined): (status: number) => boolean {
  if (status === undefined) return () => true;
  const text = String(status).toLowerCase();
  if (/^[1-5]xx$/.test(text)) return (s) => Math.floor(s / 100) === Number(text[0]);
  return (s) => s === Number(text);
}

export function isStatusFilter(value: string): boolean {
  return /^[1-5]xx$/i.test(value) || /^[1-5]\d\d$/.test(value);
}
