import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

/** Every `$ref` in the document points into a component that exists (`#/components/schemas/<name>/...`). */
function danglingRefs(doc: Record<string, unknown>): string[] {
  const schemas = ((doc.components as Record<string, unknown>).schemas ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') {
        const name = x.replace('#/components/schemas/', '').split('/')[0]!;
        if (!(name in schemas)) out.push(x);
      } else walk(x);
    }
  };
  walk(doc);
  return out;
}

describe.each([
  ['sharedcloud', ['/api/v1/images/', '/api/v1/images/{uuid}/', '/api/v1/api-token-auth/']],
  ['alliance', ['/images', '/images/{ref}']],
])('the %s OpenAPI document', (provider, paths) => {
  it('lists the operations with resolvable schemas', async () => {
    const { app } = await testApp();
    const res = await request(app).get(`/__admin/openapi/${provider}`);
    expect(res.status).toBe(200);
    const doc = res.body as Record<string, unknown>;
    expect(Object.keys(doc.paths as object)).toEqual(paths);
    expect(danglingRefs(doc)).toEqual([]);
  });
});
