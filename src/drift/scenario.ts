import type { NormaliseRules } from './normalize.js';

/** Which credentials a step presents. */
export type Credentials = 'valid' | 'missing' | 'wrong';

export interface Step {
  /** Stable name: reports, JUnit test cases and the deliberate-differences file use it. */
  name: string;
  method: string;
  /** Path and query; `{var}` is replaced by that side's captured value. */
  path: string;
  headers?: Record<string, string>;
  /** A JSON body (serialised as JSON), or raw text/bytes sent as they are. */
  json?: unknown;
  raw?: string | Buffer;
  credentials?: Credentials;
  /**
   * Presents the credential in this scenario parameter instead (e.g. an admin's
   * token); the mock gets `mock-<param>` when given, else the same value.
   */
  as?: string;
  /** Changes state: run only with --allow-writes. */
  write?: boolean;
  /** Runs at the end even when an earlier step failed (clean-up of what the run created). */
  cleanup?: boolean;
  /** Values to take from each side's JSON answer: variable name → top-level key (or a header, `header:location`). */
  capture?: Record<string, string>;
  /**
   * Asks again (a read, on each side on its own, at most 120 times 250 ms apart)
   * until the JSON answer satisfies this; the last answer is compared. For work
   * a real service finishes in its own time, such as Glance's asynchronous import.
   */
  until?: (json: unknown) => boolean;
}

export interface Scenario {
  provider: string;
  /** The request headers that carry a credential. */
  credentialHeaders(token: string): Record<string, string>;
  /** Collections the mock it starts itself empties first (the real side starts without fixtures). */
  emptyCollections?: readonly string[];
  normalise?: NormaliseRules;
  /** Headers clients read, compared by value after normalisation. */
  headers: readonly string[];
  /** Headers whose presence is compared, not their value (request ids). */
  presenceHeaders?: readonly string[];
  /** Scenario parameters (`--param name=value`) with their defaults, shown in --help. */
  params?: Record<string, { default: string; description: string }>;
  steps(options: { allowWrites: boolean; runId: string; params: Record<string, string> }): Step[];
}
