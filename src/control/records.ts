import type { MockContext } from '../context.js';
import { type CollectionRules, type Provider, RecordError } from '../providers/provider.js';
import { badRequest, ControlError, notFound } from './errors.js';

type StoredRecord = Record<string, unknown>;

/** A provider collection the admin API may arrange records in. */
export function collectionOf(
  ctx: MockContext,
  providers: readonly Provider[],
  name: string,
  collection: string,
) {
  const provider = providers.find((p) => p.name === name);
  if (!provider) throw notFound(`no provider '${name}'`);
  const rules = provider.collections[collection];
  if (!rules) throw notFound(`provider '${name}' has no collection '${collection}'`);
  const records = ctx.store.data(provider.name)[collection] as StoredRecord[];
  return { provider, rules, records };
}

/**
 * The ids of a collection, kept in step with the admin API's own inserts and
 * removals so an insert costs the same at any size. Keyed by the array, so a
 * section replaced whole (reset, snapshot restore) starts a new index; rebuilt
 * when the collection changed behind its back (a provider's own create or
 * delete changes its length or its last record).
 */
interface IdIndex {
  ids: Set<string>;
  count: number;
  last: StoredRecord | undefined;
}
const idIndexes = new WeakMap<StoredRecord[], IdIndex>();

function idsOf(records: StoredRecord[], rules: CollectionRules): Set<string> {
  const known = idIndexes.get(records);
  if (known && known.count === records.length && known.last === records[records.length - 1]) return known.ids;
  const ids = new Set(records.map((r) => rules.id(r)));
  idIndexes.set(records, { ids, count: records.length, last: records[records.length - 1] });
  return ids;
}

function seen(records: StoredRecord[]): void {
  const known = idIndexes.get(records);
  if (known) {
    known.count = records.length;
    known.last = records[records.length - 1];
  }
}

/** Validates and stores one record or several, all or nothing; answers once they are durable. */
export async function insertRecords(
  ctx: MockContext,
  providers: readonly Provider[],
  name: string,
  collection: string,
  input: unknown,
): Promise<StoredRecord[]> {
  const { provider, rules, records } = collectionOf(ctx, providers, name, collection);
  const inputs = Array.isArray(input) ? (input as unknown[]) : [input];
  const prepared = inputs.map((one, i) => prepareRecord(ctx, rules, one, inputs.length > 1 ? `[${i}] ` : ''));
  const ids = idsOf(records, rules);
  const fresh = new Set<string>();
  for (const record of prepared) {
    const id = rules.id(record);
    if (ids.has(id) || fresh.has(id)) throw new ControlError(409, `a record with id '${id}' already exists`);
    fresh.add(id);
  }
  records.push(...prepared);
  for (const id of fresh) ids.add(id);
  seen(records);
  await ctx.store.commit(provider.name, []);
  return prepared;
}

export function findRecord(
  ctx: MockContext,
  providers: readonly Provider[],
  name: string,
  collection: string,
  id: string,
) {
  const { provider, rules, records } = collectionOf(ctx, providers, name, collection);
  const index = records.findIndex((r) => rules.id(r) === id);
  if (index < 0) throw notFound(`no record with id '${id}'`);
  return { provider, records, index };
}

export async function removeRecord(
  ctx: MockContext,
  providers: readonly Provider[],
  name: string,
  collection: string,
  id: string,
): Promise<void> {
  const { provider, records, index } = findRecord(ctx, providers, name, collection, id);
  const known = idIndexes.get(records);
  const inStep = known?.count === records.length && known.last === records[records.length - 1];
  records.splice(index, 1);
  if (known && inStep) {
    known.ids.delete(id);
    seen(records);
  } else idIndexes.delete(records);
  await ctx.store.commit(provider.name, []);
}

/** Back to the fixtures: every provider or the ones named, with the current seed or another. */
export async function resetStore(
  ctx: MockContext,
  providers: readonly Provider[],
  options: { seed?: unknown; providers?: unknown } = {},
): Promise<{ seed: number; providers: string[] }> {
  const seed = options.seed ?? ctx.store.seed;
  if (!Number.isInteger(seed) || (seed as number) < 0)
    throw badRequest('seed: must be a non-negative integer');
  const names = options.providers ?? providers.map((p) => p.name);
  if (!Array.isArray(names) || names.some((n) => !providers.some((p) => p.name === n))) {
    throw badRequest(`providers: must list provider names (${providers.map((p) => p.name).join(', ')})`);
  }
  await ctx.store.reset(seed as number, names as string[]);
  return { seed: seed as number, providers: names as string[] };
}

/** Unknown fields, then derived fields, then the schema: each failure names the field. */
function prepareRecord(
  ctx: MockContext,
  rules: CollectionRules,
  input: unknown,
  where: string,
): StoredRecord {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest(`${where}a record must be a JSON object`);
  }
  const schema = ctx.validator.schema(rules.schema) as { properties?: Record<string, unknown> };
  const known = Object.keys(schema.properties ?? {});
  const unknown = Object.keys(input).find((k) => !known.includes(k));
  if (unknown !== undefined) throw badRequest(`${where}${unknown}: unknown field`);
  let record: StoredRecord;
  try {
    record = rules.prepare ? rules.prepare(input as StoredRecord, ctx) : (input as StoredRecord);
  } catch (err) {
    if (err instanceof RecordError) throw badRequest(`${where}${err.message}`);
    throw err;
  }
  const issues = ctx.validator.check(rules.schema, record);
  if (issues) {
    const first = issues[0]!;
    throw badRequest(`${where}${first.path.replace(/^\//, '') || 'record'}: ${first.message}`);
  }
  return record;
}
