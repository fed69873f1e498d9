import { createHash } from 'node:crypto';

export type Collections = Record<string, unknown[]>;

/**
 * One change to one collection, by position: `splice` replaces `del` records
 * from `at` with `put`; `set` overwrites the record at `at` (a change made in
 * place). Positions, not ids, so replaying needs no knowledge of the records.
 */
export type LogOp =
  { c: string; at: number; del: number; put: unknown[] } | { c: string; at: number; set: unknown };

/**
 * The log beside a snapshot file: a header naming the snapshot it continues
 * (by hash, so a log left behind by a compaction that crashed after renaming
 * the new snapshot in place is recognised as already applied), then one line
 * per group commit. A group is one line, so it is applied whole or not at all.
 */
export const snapshotId = (snapshotText: string): string =>
  createHash('sha1').update(snapshotText).digest('hex');

export const headerLine = (base: string): string => `${JSON.stringify({ base })}\n`;

export const groupLine = (ops: readonly LogOp[]): string => `${JSON.stringify({ ops })}\n`;

export class LogProblem extends Error {}

/**
 * The groups a log holds for this snapshot, or null when it continues another
 * one. A last line without its newline is a group whose write was cut short:
 * it was never acknowledged, so it is dropped.
 */
export function readGroups(logText: string, snapshotText: string): LogOp[][] | null {
  const complete = logText.slice(0, logText.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').slice(0, -1);
  if (lines.length === 0) return null;
  const header = parseLine(lines[0]!, 1) as { base?: unknown };
  if (typeof header.base !== 'string') throw new LogProblem('line 1 is not a log header');
  if (header.base !== snapshotId(snapshotText)) return null;
  return lines.slice(1).map((line, i) => {
    const group = parseLine(line, i + 2) as { ops?: unknown };
    if (!Array.isArray(group.ops)) throw new LogProblem(`line ${i + 2} holds no list of changes`);
    return group.ops as LogOp[];
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

export function applyOps(data: Collections, ops: readonly LogOp[]): void {
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

/**
 * The changes that turn `before` (the records as last written, by identity)
 * into `after`: what was inserted or removed shows by comparing identities,
 * as one splice over the part that differs; records changed in place can't
 * be seen that way, so they are named in `changedInPlace`. Null when the
 * splice would rewrite most of the collection: then a snapshot is cheaper.
 */
export function diffCollection(
  name: string,
  before: readonly unknown[],
  after: readonly unknown[],
  changedInPlace: ReadonlySet<unknown>,
): LogOp[] | null {
  const shorter = Math.min(before.length, after.length);
  let head = 0;
  while (head < shorter && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < shorter - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const ops: LogOp[] = [];
  const put = after.slice(head, after.length - tail);
  const del = before.length - tail - head;
  if (put.length + del > 0) {
    if (put.length > 64 && put.length * 2 > after.length) return null;
    ops.push({ c: name, at: head, del, put });
  }
  if (changedInPlace.size > 0) {
    for (let i = 0; i < after.length; i++) {
      if (i === head) i = after.length - tail; // the splice already carries these
      if (i < after.length && changedInPlace.has(after[i])) ops.push({ c: name, at: i, set: after[i] });
    }
  }
  return ops;
}
