import { isDeepStrictEqual } from 'node:util';
import type { MockContext } from '../context.js';
import { cache } from '../store/cache.js';
import type { SchemaIssue, Validator } from '../validation/validator.js';
import { PreparedBody, preparedSize } from './respond.js';

/** One record's item in a list answer: its wire text, and its check against the item schema. */
export interface Piece {
  text: string;
  /** null when valid, or not checked (validation off). */
  issues: SchemaIssue[] | null;
}

/**
 * A record's piece, made and checked once per version of the record
 * (records are frozen: a changed one is a new record with pieces of its
 * own), in the process's one cache. A list answer is joined from pieces, so
 * a write re-serialises and re-checks only what it changed, not every item.
 */
export function recordPiece(
  ctx: MockContext,
  record: object,
  itemSchema: string,
  wire: () => unknown,
  serialize: (body: unknown) => string,
): Piece {
  return cache.forRecord(
    record,
    `piece ${itemSchema}`,
    () => {
      const body = wire();
      return {
        text: serialize(body),
        issues: ctx.config.validate === 'off' ? null : ctx.validator.check(itemSchema, body),
      };
    },
    (piece) => piece.text.length,
  );
}

/** A record's answer on its own (a get), from its piece: kept per version of the record too. */
export function recordBody(
  ctx: MockContext,
  record: object,
  itemSchema: string,
  wire: () => unknown,
  serialize: (body: unknown) => string,
): PreparedBody {
  return cache.forRecord(
    record,
    `body ${itemSchema}`,
    () => {
      const { text, issues } = recordPiece(ctx, record, itemSchema, wire, serialize);
      return new PreparedBody(text, itemSchema, issues);
    },
    preparedSize,
  );
}

/** What a list answer is made of, for its check. */
export interface JoinedList {
  listSchema: string;
  /** The property holding the items. */
  key: string;
  pieces: readonly Piece[];
  /** The list's other properties, in their wire order. */
  envelope: Record<string, unknown>;
  /** Whether the list checks its items as the pieces were checked (`listComposesFromItems`). */
  composable: boolean;
  /** The whole list, to check the usual way when it does not compose. */
  whole: () => unknown;
}

/**
 * Every list sent has passed its schema. When that schema checks the items
 * exactly as their own schema does and nothing else looks into them, a list
 * is valid exactly when its envelope (with an empty array) is and each item
 * is; the items were checked as pieces, so only the envelope is walked
 * here, and an item's issues are reported under `/<key>/<index>`.
 */
export function joinedListIssues(ctx: MockContext, list: JoinedList): SchemaIssue[] | null {
  if (ctx.config.validate === 'off') return null;
  if (!list.composable) return ctx.validator.check(list.listSchema, list.whole());
  const issues = [...(ctx.validator.check(list.listSchema, { [list.key]: [], ...list.envelope }) ?? [])];
  list.pieces.forEach((piece, i) => {
    for (const issue of piece.issues ?? [])
      issues.push({ ...issue, path: `/${list.key}/${i}${issue.path === '/' ? '' : issue.path}` });
  });
  return issues.length > 0 ? issues : null;
}

/** Keywords of a list schema that never look inside the value of one of its `properties`. */
const LIST_KEYWORDS = new Set([
  '$schema',
  'title',
  'name',
  'description',
  'type',
  'properties',
  'required',
  'links',
]);
const ARRAY_KEYWORDS = new Set(['description', 'type', 'items']);

/**
 * Whether `listSchema` checks the items of its `key` array exactly as
 * `itemSchema` does (the same schema inline, or a `$ref` to it) and puts no
 * other rule on the array or the list that could look into an item.
 * `additionalProperties: false` only names the keys a list may have.
 */
export function listComposesFromItems(
  validator: Validator,
  listSchema: string,
  key: string,
  itemSchema: string,
): boolean {
  const list = validator.schema(listSchema);
  const other = Object.keys(list).filter((k) => !LIST_KEYWORDS.has(k));
  if (other.some((k) => k !== 'additionalProperties' || list[k] !== false)) return false;
  const array = (list.properties as Record<string, Record<string, unknown>> | undefined)?.[key];
  if (!array || Object.keys(array).some((k) => !ARRAY_KEYWORDS.has(k)) || array.type !== 'array')
    return false;
  const items = array.items as Record<string, unknown> | undefined;
  if (items && Object.keys(items).length === 1 && typeof items.$ref === 'string')
    return refersTo(listSchema, items.$ref, itemSchema);
  return isDeepStrictEqual(items, validator.schema(itemSchema));
}

/** A `$ref` between schemas is relative to the referring one's id (src/validation/validator.ts). */
function refersTo(from: string, ref: string, target: string): boolean {
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
  return ref === target || `${dir}${ref}` === target;
}
