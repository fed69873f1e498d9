import type { MockContext } from '../context.js';
import { type CollectionRules, type Provider, RecordError } from '../providers/provider.js';
import { DuplicateRecordError, RecordProblem } from '../store/collection.js';
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
  // own names only: `constructor` or `__proto__` is no collection
  if (!Object.hasOwn(provider.collections, collection))
    throw notFound(`provider '${name}' has no collection '${collection}'`);
  const rules = provider.collections[collection]!;
  const records = ctx.store.collection<StoredRecord>(provider.name, collection);
  return { provider, rules, records };
}

/** Validates and stores one record or several, all or nothing; answers once they are durable. */
export async function insertRecords(
  ctx: MockContext,
  providers: readonly Provider[],
  name: string,
  collection: string,
  input: unknown,
): Promise<StoredRecord[]> {
  const { rules, records } = collectionOf(ctx, providers, name, collection);
  const inputs = Array.isArray(input) ? (input as unknown[]) : [input];
  const prepared = inputs.map((one, i) => prepareRecord(ctx, rules, one, inputs.length > 1 ? `[${i}] ` : ''));
  try {
    return await records.insertMany(prepared);
  } catch (err) {
    if (err instanceof DuplicateRecordError) throw new ControlError(409, err.message);
    if (err instanceof RecordProblem) throw badRequest(err.message);
    throw err;
  }
}

export function findRecord(
  ctx: MockContext,
  providers: readonly Provider[],
  name: string,
  collection: string,
  id: string,
): StoredRecord {
  const record = collectionOf(ctx, providers, name, collection).records.get(id);
  if (!record) throw notFound(`no record with id '${id}'`);
  return record;
}

export async function removeRecord(
  ctx: MockContext,
  providers: readonly Provider[],
  name: string,
  collection: string,
  id: string,
): Promise<void> {
  const { records } = collectionOf(ctx, providers, name, collection);
  if (!records.has(id)) throw notFound(`no record with id '${id}'`);
  await records.remove(id);
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
