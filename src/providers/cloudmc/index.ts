import type { MockContext } from '../../context.js';
import { compositeId, groupBy } from '../../store/collection.js';
import { type Provider, RecordError } from '../provider.js';
import {
  type ApiKey,
  type Connection,
  imageId,
  imageReference,
  microsecondTimestamp,
  type StoredImage,
} from './model.js';
import { cloudmcRoutes } from './routes.js';
import { seedCloudmc } from './seed.js';

export const cloudmc: Provider = {
  name: 'cloudmc',
  title: 'StackPath Edge and Cox Edge (CloudMC images API)',
  store: {
    name: 'cloudmc',
    collections: {
      connections: { id: (r: Connection) => r.serviceCode },
      apiKeys: { id: (r: ApiKey) => r.key },
      images: {
        // the same system image id exists once per service connection
        id: (r: StoredImage) => compositeId(r.serviceCode, r.id),
        indexes: { id: groupBy((r: StoredImage) => r.id) },
      },
    },
    seed: seedCloudmc,
  },
  mountPaths: ['/api/v1/services', '/api/v2/services'],
  routes: cloudmcRoutes,
  collections: {
    images: { schema: 'cloudmc/stored-image', prepare: prepareImage },
    apiKeys: { schema: 'cloudmc/api-key' },
    connections: { schema: 'cloudmc/connection' },
  },
  auth: {
    type: 'apiKey',
    in: 'header',
    name: 'MC-Api-Key',
    description: 'A fixture key bound to environments.',
  },
  // loaded only when `record` or `drift` runs: serving never uses them
  importAdapter: async () => (await import('./record.js')).cloudmcImport,
  driftScenario: async () => (await import('./drift.js')).cloudmcScenario,
  banner(ctx, baseUrl) {
    const connections = ctx.store.collection<Connection>('cloudmc', 'connections').all();
    const apiKeys = ctx.store.collection<ApiKey>('cloudmc', 'apiKeys').all();
    return [
      ...connections.map(
        (c) =>
          `${c.name}: ${baseUrl}/api/v1/services/${c.serviceCode}/{${c.environments.map((e) => e.name).join('|')}}/images`,
      ),
      `  MC-Api-Key: ${apiKeys.map((k) => k.key).join(', ')}`,
    ];
  },
};

/**
 * An admin-inserted image needs only serviceCode, family and tag; the rest
 * is derived the way CloudMC derives it (id, reference, slug, stack) or
 * defaulted (now, READY, visible).
 */
function prepareImage(input: Record<string, unknown>, ctx: MockContext): Record<string, unknown> {
  const connection = ctx.store
    .collection<Connection>('cloudmc', 'connections')
    .get(String(input.serviceCode));
  if (!connection) throw new RecordError(`serviceCode: no service connection '${String(input.serviceCode)}'`);
  const environment = (input.environment ?? null) as string | null;
  const env = environment === null ? null : connection.environments.find((e) => e.name === environment);
  if (env === undefined)
    throw new RecordError(`environment: no environment '${environment}' in '${connection.serviceCode}'`);
  const family = input.family as string;
  const tag = input.tag as string;
  const stackId = (input.stackId as string | undefined) ?? env?.stackId ?? connection.systemStackId;
  return {
    serviceCode: connection.serviceCode,
    environment,
    deprecated: input.deprecated ?? false,
    stackId,
    id: imageId(stackId, family, tag),
    slug: input.slug ?? connection.slug,
    family,
    tag,
    createdAt: input.createdAt ?? microsecondTimestamp(ctx.clock.now()),
    description: input.description ?? `Image using ${family}`,
    reference: imageReference((input.slug as string | undefined) ?? connection.slug, family, tag),
    status: input.status ?? 'READY',
  };
}
