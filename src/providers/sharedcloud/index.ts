import { randomBytes, randomUUID } from 'node:crypto';
import type { MockContext } from '../../context.js';
import type { Provider } from '../provider.js';
import { sharedcloudAuth } from './auth.js';
import { groupBy } from '../../store/collection.js';
import { type Instance, registryPath, type StoredImage, storedTimestamp, type User } from './model.js';
import { sharedcloudRoutes } from './routes/index.js';
import { seedSharedcloud } from './seed.js';

export const sharedcloud: Provider = {
  name: 'sharedcloud',
  title: 'Sharedcloud images API (Django REST Framework)',
  store: {
    name: 'sharedcloud',
    collections: {
      users: { id: (r: User) => r.username, indexes: { token: groupBy((r: User) => r.token) } },
      instances: { id: (r: Instance) => r.uuid },
      images: { id: (r: StoredImage) => r.uuid },
    },
    seed: seedSharedcloud,
  },
  // CloudMC, mounted first, owns /api/v1/services; everything else under /api/v1 reaches this router
  mountPaths: ['/api/v1'],
  routes: sharedcloudRoutes,
  auth: sharedcloudAuth,
  collections: {
    images: { schema: 'sharedcloud/stored-image', prepare: prepareImage },
    users: {
      schema: 'sharedcloud/user',
      prepare: (input) => ({ token: randomBytes(20).toString('hex'), active: true, ...input }),
    },
    instances: {
      schema: 'sharedcloud/instance',
      prepare: (input) => ({ uuid: randomUUID(), images: [], ...input }),
    },
  },
  // loaded only when `record` or `drift` runs: serving never uses them
  importAdapter: async () => (await import('./record.js')).sharedcloudImport,
  driftScenario: async () => (await import('./drift.js')).sharedcloudScenario,
  banner(ctx, baseUrl) {
    const users = ctx.store.collection<User>('sharedcloud', 'users').all();
    return [
      `Sharedcloud: ${baseUrl}/api/v1/images/  (login: POST ${baseUrl}/api/v1/api-token-auth/)`,
      `  Authorization: Token <key>; users: ${users
        .filter((u) => u.active)
        .map((u) => `${u.username}/${u.password} (${u.token})`)
        .join(', ')}`,
    ];
  },
};

/** An admin-inserted image needs a name and runtime; the rest defaults the way the service filled it. */
function prepareImage(input: Record<string, unknown>, ctx: MockContext): Record<string, unknown> {
  const now = storedTimestamp(ctx.clock.now());
  const tag = (input.tag as string | undefined) ?? 'latest';
  return {
    uuid: randomUUID(),
    num_installations: 0,
    registry_path: registryPath(String(input.name), String(input.runtime), tag),
    created_at: now,
    updated_at: input.created_at ?? now,
    description: '',
    requires_gpu: false,
    ...input,
    tag,
  };
}
