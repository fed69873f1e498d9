import { randomUUID } from 'node:crypto';
import type { MockContext } from '../../context.js';
import type { Provider } from '../provider.js';
import { glanceTimestamp } from '../../validation/openstack-image.js';
import type { StoredImage } from './model/index.js';
import { allianceRoutes } from './routes.js';
import { seedAlliance } from './seed.js';

export const alliance: Provider = {
  name: 'alliance',
  title: 'Alliance Glance API v1 front end',
  store: {
    name: 'alliance',
    collections: { images: { id: (r: StoredImage) => r.id } },
    seed: seedAlliance,
  },
  mountPaths: ['/images'],
  routes: allianceRoutes,
  collections: {
    images: { schema: 'alliance/stored-image', prepare: prepareImage },
  },
  // loaded only when `record` or `drift` runs: serving never uses them
  importAdapter: async () => (await import('./record.js')).allianceImport,
  driftScenario: async () => (await import('./drift.js')).allianceScenario,
  banner(ctx, baseUrl) {
    const pairs = new Set(
      ctx.store
        .collection<StoredImage>('alliance', 'images')
        .all()
        .map((i) => `${i.namespace}/${i.owner}`),
    );
    return [
      `Alliance: ${baseUrl}/images  (headers X-Target-Ns and X-Environment-Id; any pair works)`,
      `  seeded namespace/environment: ${[...pairs].join(', ')}`,
    ];
  },
};

/** An admin-inserted image needs namespace and owner; the rest defaults like a new image. */
function prepareImage(input: Record<string, unknown>, ctx: MockContext): Record<string, unknown> {
  const now = glanceTimestamp(ctx.clock.now());
  return {
    id: randomUUID(),
    name: null,
    status: 'queued',
    created_at: now,
    updated_at: input.created_at ?? now,
    tags: [],
    container_format: null,
    disk_format: null,
    min_ram: 0,
    min_disk: 0,
    visibility: 'private',
    protected: false,
    checksum: null,
    virtual_size: null,
    size: null,
    ...input,
  };
}
