import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { MockContext } from '../../src/context.js';
import { resourceAt } from '../../src/http/route-dispatch.js';
import { type Method, operationsOf, type Resource } from '../../src/http/route-table.js';
import { providers } from '../../src/providers/index.js';
import { routesOf } from '../../src/providers/provider.js';
import { testApp } from '../helpers.js';

/**
 * Express's rule, as a reference: the first declared route whose template
 * matches wins; `:x` takes one non-empty segment, `*x` one or more, literal
 * segments match in any case, and a non-strict group allows one trailing slash.
 */
function firstDeclared(resources: Resource[], path: string, strict: boolean): Resource | null {
  const matches = (template: string) => {
    const want = template.split('/');
    let got = path.split('/');
    if (!strict && got.length > 1 && got.at(-1) === '' && path !== '/') got = got.slice(0, -1);
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      if (w.startsWith('*')) return got.length > i && got.slice(i).every((s) => s !== '');
      if (i >= got.length) return false;
      if (w.startsWith(':') ? got[i] === '' : w.toLowerCase() !== got[i]!.toLowerCase()) return false;
    }
    return got.length === want.length;
  };
  return resources.find((r) => matches(r.path)) ?? null;
}

/** A path a template matches: every parameter given a value, a wildcard three segments. */
const sample = (template: string) =>
  template.replace(/:([A-Za-z_]\w*)/g, 'v-$1').replace(/\*[A-Za-z_]\w*$/, 'a/b/c');

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
    it(`${provider.name}: each route's paths reach the route Express's first match would`, async () => {
      const { ctx } = await testApp();
      const table = routesOf(ctx, provider);
      let checked = 0;
      for (const group of table.groups) {
        const strict = group.strict === true;
        for (const prefix of [group.prefix, ...(group.aliases ?? [])]) {
          // every declared path, and every literal segment put where another route takes a parameter
          const paths = new Set(group.resources.map((r) => sample(r.path)));
          for (const r of group.resources)
            for (const other of group.resources) {
              const mine = r.path.split('/');
              const theirs = other.path.split('/');
              if (mine.length !== theirs.length) continue;
              paths.add(
                mine
                  .map((seg, i) => (seg.startsWith(':') && !theirs[i]!.startsWith(':') ? theirs[i] : seg))
                  .join('/'),
              );
            }
          for (const path of [...paths].filter((p) => !p.includes(':') && !p.includes('*'))) {
            for (const variant of [path, path === '/' ? '/' : `${path}/`, path.toUpperCase()]) {
              const expected = firstDeclared(group.resources, variant, strict);
              if (!expected) continue;
              expect(resourceAt(table, prefix + variant)?.valueOf(), `${prefix}${variant}`).toBe(expected);
              checked++;
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
    });

    it(`${provider.name}: a strict group's trailing slash is another path`, async () => {
      const { ctx } = await testApp();
      const table = routesOf(ctx, provider);
      for (const group of table.groups.filter((g) => g.strict)) {
        for (const r of group.resources.filter((r) => r.path !== '/')) {
          const path = `${group.prefix}${sample(r.path)}/`;
          if (!firstDeclared(group.resources, sample(r.path) + '/', true))
            expect(resourceAt(table, path), path).not.toBe(r);
        }
      }
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
