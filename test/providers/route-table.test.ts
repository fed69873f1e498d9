import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { MockContext } from '../../src/context.js';
import { type Method, operationsOf } from '../../src/http/route-table.js';
import { providers } from '../../src/providers/index.js';
import { providerRouter, routesOf } from '../../src/providers/provider.js';
import { testApp } from '../helpers.js';

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every route Express holds in a router and the routers nested in it, with the methods it names. */
function servedRoutes(router: { stack: Layer[] }): { path: string; methods: string[] }[] {
  return router.stack.flatMap((layer) => {
    if (layer.route) return [{ path: layer.route.path, methods: Object.keys(layer.route.methods).sort() }];
    return layer.handle?.stack ? servedRoutes(layer.handle as { stack: Layer[] }) : [];
  });
}

/** A request each provider's fixtures answer for: its credentials and a real record for each path parameter. */
const callers: Record<
  string,
  (ctx: MockContext) => { headers: Record<string, string>; params: Record<string, string> }
> = {
  cloudmc: (ctx) => {
    const image = ctx.store
      .collection<{ serviceCode: string; environment: string | null; id: string }>('cloudmc', 'images')
      .all()[0]!;
    return {
      headers: { 'MC-Api-Key': 'mc-demo-key' },
      params: { serviceCode: 'stackpath', environment: 'test-area', id: image.id },
    };
  },
  sharedcloud: (ctx) => {
    const user = ctx.store.collection<{ token: string }>('sharedcloud', 'users').all()[0]!;
    const image = ctx.store.collection<{ uuid: string }>('sharedcloud', 'images').all()[0]!;
    return { headers: { Authorization: `Token ${user.token}` }, params: { uuid: image.uuid } };
  },
  alliance: (ctx) => {
    const image = ctx.store
      .collection<{ id: string; namespace: string; owner: string }>('alliance', 'images')
      .all()[0]!;
    return {
      headers: { 'X-Target-Ns': image.namespace, 'X-Environment-Id': image.owner },
      params: { ref: image.id },
    };
  },
  glance: (ctx) => {
    const member = ctx.store
      .collection<{ image_id: string; member_id: string }>('glance', 'members')
      .all()[0]!;
    return {
      headers: { 'X-Auth-Token': 'admin-token' },
      params: {
        id: member.image_id,
        member: member.member_id,
        tag: 'some-tag',
        // metadefs: the fixtures' unprotected namespace of the user project
        namespace: 'Mock::Labels',
        object_name: 'Retention',
        property_name: 'tier',
        tag_name: 'gold',
        resource_type: 'OS::Glance::Image',
      },
    };
  },
};

/** Writes last, deletes after them: each operation meets the fixtures' records. */
const ORDER: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

describe('one route table per provider feeds Express and the OpenAPI document', () => {
  for (const provider of providers) {
    it(`${provider.name}: every route Express serves is in the table, with the table's methods`, async () => {
      const { ctx } = await testApp();
      const table = routesOf(ctx, provider);
      const declared = table.groups.flatMap((g) =>
        g.resources.map((r) => ({
          path: r.path,
          // the 405 (or any-method) handler and Resource.use are `_all` handlers
          methods: r.anyMethod
            ? ['_all']
            : [
                ...Object.keys(r.operations).map((m) => m.toLowerCase()),
                ...(r.fallThrough && !r.use ? [] : ['_all']),
                // a table that refuses HEAD gives each refusing route a HEAD handler
                ...(table.refuseHead && !r.fallThrough ? ['head'] : []),
              ].sort(),
        })),
      );
      const served = servedRoutes(providerRouter(ctx, provider) as unknown as { stack: Layer[] });
      expect(served.length).toBeGreaterThan(0);
      for (const route of served) {
        expect(declared, `${route.path} ${route.methods.join(',')}`).toContainEqual(route);
      }
      expect(served).toHaveLength(declared.length);
    });

    it(`${provider.name}: every documented operation answers one of its documented statuses`, async () => {
      const { ctx, app } = await testApp();
      const doc = (await request(app).get(`/__admin/openapi/${provider.name}.json`)).body as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      const caller = callers[provider.name]!(ctx);
      const operations = provider.mountPaths
        .flatMap((mount) => operationsOf(routesOf(ctx, provider), mount))
        .sort((a, b) => ORDER.indexOf(a.method) - ORDER.indexOf(b.method));
      expect(operations.length).toBeGreaterThan(0);
      for (const { method, path } of operations) {
        const documented = Object.keys(doc.paths[path]?.[method.toLowerCase()]?.responses ?? {});
        expect(documented, `${method} ${path} is in the document`).not.toHaveLength(0);
        const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
          const value = caller.params[name];
          if (value === undefined) throw new Error(`no sample value for {${name}} in ${path}`);
          return name === 'id' && provider.name === 'cloudmc' ? value : encodeURIComponent(value);
        });
        let call = request(app)[method.toLowerCase() as 'get'](url).set(caller.headers);
        if (method !== 'GET' && method !== 'DELETE') call = call.send({});
        const res = await call;
        expect(documented, `${method} ${url} answered ${res.status}`).toContain(String(res.status));
      }
    });
  }
});
