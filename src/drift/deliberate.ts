import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import type { Difference } from './difference.js';

/**
 * A difference the mock keeps on purpose, documented in the provider's spec
 * note. `step`, `kind` and `path` may end in `*` (a prefix) or be `*`.
 */
export interface DeliberateRule {
  step: string;
  kind?: string;
  path?: string;
  reason: string;
}

export const deliberateDir = path.join(packageRoot, 'drift', 'deliberate');

export function loadDeliberate(
  provider: string,
  file = path.join(deliberateDir, `${provider}.json`),
): DeliberateRule[] {
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DeliberateFileError(`${file}: ${(err as Error).message}`);
  }
  const differences = (parsed as { differences?: unknown } | null)?.differences ?? [];
  if (!Array.isArray(differences) || differences.some((r) => typeof (r as DeliberateRule)?.step !== 'string'))
    throw new DeliberateFileError(`${file} must hold {"differences": [{"step": ..., "reason": ...}, ...]}`);
  return differences as DeliberateRule[];
}

/** A deliberate-differences file that cannot be read as one: reported in one line. */
export class DeliberateFileError extends Error {}

const matches = (pattern: string | undefined, value: string) =>
  pattern === undefined ||
  pattern === '*' ||
  (pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value);

export function markDeliberate(
  step: string,
  differences: Difference[],
  rules: readonly DeliberateRule[],
): void {
  for (const d of differences) {
    const rule = rules.find(
      (r) => matches(r.step, step) && matches(r.kind, d.kind) && matches(r.path, d.path),
    );
    if (rule) d.deliberate = rule.reason;
  }
}
