import { randomUUID } from 'node:crypto';
import type { MockContext } from '../../context.js';
import { glanceTimestamp } from '../../validation/openstack-image.js';
import type { Provider } from '../provider.js';
import { glanceAuth } from './auth.js';
import { glanceCollections, type TokenRecord, type UserRecord } from './model/index.js';
import { glanceRoutes } from './routes/index.js';
import { seedGlance } from './seed.js';

export const glance: Provider = {
  name: 'glance',
  title: 'OpenStack Glance Image API v2 (Platform9 PCD)',
  store: {
    name: 'glance',
    collections: glanceCollections,
    seed: seedGlance,
  },
  // last in the list: it answers every path no other provider claims. ('' rather than
  // '/': Express strips a '/' given inside a mount-path array and the routes below stop matching.)
  mountPaths: [''],
  routes: glanceRoutes,
  auth: glanceAuth,
  collections: {
    images: { schema: 'glance/stored-image', prepare: prepareImage },
    members: { schema: 'glance/stored-member' },
    tokens: { schema: 'glance/stored-token' },
    users: { schema: 'glance/stored-user' },
    tasks: { schema: 'glance/stored-task' },
    cache: { schema: 'glance/stored-cache' },
    metadef_namespaces: { schema: 'glance/stored-metadef-namespace' },
    metadef_objects: { schema: 'glance/stored-metadef-object' },
    metadef_properties: { schema: 'glance/stored-metadef-property' },
    metadef_tags: { schema: 'glance/stored-metadef-tag' },
    metadef_resource_types: { schema: 'glance/stored-metadef-resource-type' },
    metadef_associations: { schema: 'glance/stored-metadef-association' },
  },
  // loaded only when `record` or `drift` runs: serving never uses them
  importAdapter: async () => (await import('./record.js')).glanceImport,
  driftScenario: async () => (await import('./drift.js')).glanceScenario,
  banner(ctx, baseUrl) {
    const tokens = ctx.store.collection<TokenRecord>('glance', 'tokens').all();
    const users = ctx.store.collection<UserRecord>('glance', 'users').all();
    return [
      `Glance v2: ${baseUrl}/v2/images (Keystone shim: OS_AUTH_URL=${baseUrl}/v3)`,
      `  X-Auth-Token: ${tokens.map((t) => `${t.token} (${t.roles.includes('admin') ? 'admin' : 'member'})`).join(', ')}`,
      `  users: ${users.map((u) => `${u.name}/${u.password}`).join(', ')}`,
    ];
  },
};

/** An admin-inserted image needs little: Glance's defaults fill the rest. */
function prepareImage(input: Record<string, unknown>, ctx: MockContext): Record<string, unknown> {
  const stamp = glanceTimestamp(ctx.clock.now());
  return {
    name: null,
    disk_format: null,
    container_format: null,
    visibility: 'shared',
    size: null,
    virtual_size: null,
    status: 'queued',
    checksum: null,
    protected: false,
    min_ram: 0,
    min_disk: 0,
    owner: null,
    os_hidden: false,
    os_hash_algo: null,
    os_hash_value: null,
    created_at: stamp,
    updated_at: stamp,
    tags: [],
    properties: {},
    ...input,
    id: input.id ?? randomUUID(),
  };
}
