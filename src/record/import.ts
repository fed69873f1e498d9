import type { Provider } from '../providers/provider.js';
import type { SectionView } from '../store/store.js';
import type { Validator } from '../validation/validator.js';
import type { ImportAdapter } from './adapter.js';
import type { Exchange } from './recording.js';

export interface ImportResult {
  /** Valid records, last recorded state of each id, in first-seen order. */
  records: Record<string, unknown>[];
  /** Records the schema refused, with the reason. */
  invalid: { id: string; reason: string }[];
}

/**
 * Turns the recorded answers of one provider into store records, keeping
 * ids and owners so the recorded scenario replays against the mock.
 */
export function importExchanges(
  exchanges: readonly Exchange[],
  adapter: ImportAdapter,
  provider: Provider,
  validator: Validator,
  current: SectionView,
): ImportResult {
  const rules = provider.collections[adapter.collection]!;
  const spec = provider.store.collections[adapter.collection]!;
  const byId = new Map<string, Record<string, unknown>>();
  const invalid = new Map<string, string>();
  for (const exchange of exchanges) {
    if (exchange.provider !== adapter.provider) continue;
    for (const id of adapter.deleted?.(exchange) ?? []) {
      byId.delete(id);
      invalid.delete(id);
    }
    for (const record of adapter.records(exchange, current)) {
      const id = spec.id(record) ?? '(no id)';
      const issues = validator.check(rules.schema, record);
      if (issues) {
        const first = issues[0]!;
        invalid.set(id, `${first.path.replace(/^\//, '') || 'record'}: ${first.message}`);
        byId.delete(id);
        continue;
      }
      invalid.delete(id);
      byId.set(id, record);
    }
  }
  return {
    records: adapter.storeOrder ? adapter.storeOrder([...byId.values()]) : [...byId.values()],
    invalid: [...invalid.entries()].map(([id, reason]) => ({ id, reason })),
  };
}
