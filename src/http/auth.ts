import type { AuthMode } from '../config.js';

export type AuthOutcome<I> = { ok: true; identity: I } | { ok: false; reason: 'missing' | 'invalid' };

/**
 * The one credential rule every provider shares: a missing or empty
 * credential always fails; a fixture credential keeps its own identity; in
 * `any` mode every other non-empty credential gets the provider's stand-in
 * identity, in `strict` mode it fails.
 */
export function authenticate<I>(
  mode: AuthMode,
  presented: string | undefined,
  known: (credential: string) => I | undefined,
  standIn: (credential: string) => I,
): AuthOutcome<I> {
  if (presented === undefined || presented.trim() === '') return { ok: false, reason: 'missing' };
  const identity = known(presented);
  if (identity !== undefined) return { ok: true, identity };
  if (mode === 'any') return { ok: true, identity: standIn(presented) };
  return { ok: false, reason: 'invalid' };
}

/** A header's single value (a repeated header counts as its first value). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
