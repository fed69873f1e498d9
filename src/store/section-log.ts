import { createHash } from 'node:crypto';
import type { Op } from './collection.js';

/** A section as its snapshot file holds it: each collection's records, in store order. */
export type SectionArrays = Record<string, unknown[]>;

/**
 * The log beside a snapshot file: a header naming the snapshot it continues
 * (by hash, so a log left behind by a fold that crashed after renaming the
 * new snapshot in place is recognised as already applied), then one line
 * per group commit. A group is one line, so it is applied whole or not at all.
 */
export const snapshotId = (snapshotText: string): string =>
  createHash('sha1').update(snapshotText).digest('hex');

export const headerLine = (base: string): string => `${JSON.stringify({ base })}\n`;

export const groupLine = (ops: readonly Op[]): string => `${JSON.stringify({ ops })}\n`;

export class LogProblem extends Error {}

/**
 * The groups a log holds for this snapshot, or null when it continues another
 * one. A last line without its newline is a group whose write was cut short:
 * it was never acknowledged, so it is dropped.
 */
export function readGroups(logText: string, snapshotText: string): unknown[][] | null {
  const complete = logText.slice(0, logText.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').slice(0, -1);
  if (lines.length === 0) return null;
  const header = parseLine(lines[0]!, 1) as { base?: unknown };
  if (typeof header.base !== 'string') throw new LogProblem('line 1 is not a log header');
  if (header.base !== snapshotId(snapshotText)) return null;
  return lines.slice(1).map((line, i) => {
    const group = parseLine(line, i + 2) as { ops?: unknown };
    if (!Array.isArray(group.ops)) throw new LogProblem(`line ${i + 2} holds no list of changes`);
    for (const op of group.ops) {
      if (!isOp(op) && !isPositional(op)) throw new LogProblem(`line ${i + 2} holds a change it cannot read`);
    }
    return group.ops as unknown[];
  });
}

function parseLine(line: string, n: number): unknown {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null) return value;
  } catch {
    /* reported below */
  }
  throw new LogProblem(`line ${n} is not a JSON object`);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function isOp(op: unknown): op is Op {
  if (!isRecord(op) || typeof op.c !== 'string') return false;
  return isRecord(op.put) || typeof op.del === 'string' || Array.isArray(op.all);
}

/**
 * A change as logs written before the collection API recorded it: by
 * position (`splice` replaces `del` records from `at` with `put`; `set`
 * overwrites the record at `at`). Read so that a store left by a crash of
 * an older mock loses nothing; never written.
 */
type PositionalOp =
  { c: string; at: number; del: number; put: unknown[] } | { c: string; at: number; set: unknown };

export const isPositional = (op: unknown): op is PositionalOp =>
  isRecord(op) && typeof op.c === 'string' && typeof op.at === 'number';

export function applyPositional(data: SectionArrays, ops: readonly PositionalOp[]): void {
  for (const op of ops) {
    const records = data[op.c];
    if (!Array.isArray(records) || !Number.isInteger(op.at) || op.at < 0 || op.at > records.length) {
      throw new LogProblem(`a change to '${op.c}' at ${op.at} does not fit the collection`);
    }
    if ('set' in op) {
      if (op.at >= records.length) throw new LogProblem(`'${op.c}' has no record at ${op.at}`);
      records[op.at] = op.set;
    } else records.splice(op.at, op.del, ...op.put);
  }
}
