import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { operationsOf } from '../../src/http/route-table.js';
import { providers } from '../../src/providers/index.js';
import { routesOf } from '../../src/providers/provider.js';
import { testApp } from '../helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
});

type Json = Record<string, unknown>;
const pointer = (doc: unknown, ref: string): unknown =>
  ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
const refsOf = (node: unknown, out: string[] = []): string[] => {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
};

describe('OpenAPI documents under /__admin/openapi', () => {
  it('lists one document per provider', async () => {
    const res = await request(t.app).get('/__admin/openapi');
    expect(res.body.documents.map((d: { provider: string }) => d.provider)).toEqual(
      providers.map((p) => p.name),
    );
    expect(res.body.documents[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__admin\/openapi\/cloudmc\.json$/);
  });

  for (const provider of providers) {
    it(`${provider.name}: OpenAPI 3.1 with every schema of schemas/${provider.name}/ and no dangling $ref`, async () => {
      const res = await request(t.app).get(`/__admin/openapi/${provider.name}.json`);
      expect(res.status).toBe(200);
      const doc = res.body;
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info.title).toBe(provider.title);
      const own = t.ctx.validator.ids().filter((id) => id.startsWith(`${provider.name}/`));
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining(own.map((id) => id.slice(provider.name.length + 1).replace(/\//g, '.'))),
      );
      for (const ref of refsOf(doc)) {
        expect(ref, ref).toMatch(/^#\//);
        expect(pointer(doc, ref), ref).toBeDefined();
      }
      const operations = provider.mountPaths.flatMap((m) => operationsOf(routesOf(t.ctx, provider), m));
      expect(operations.length).toBeGreaterThan(0);
      for (const e of operations) {
        const op = doc.paths[e.path]?.[e.method.toLowerCase()];
        expect(op?.summary, `${e.method} ${e.path}`).toBe(e.op.summary);
        // a refused method answers in the provider's own error format, documented on every operation
        if (!e.anyMethod) expect(Object.keys(op.responses), `${e.method} ${e.path}`).toContain('405');
      }
      // the whole document compiles as JSON Schema, so every component is usable by a client
      const ajv = new Ajv({ strict: false });
      addFormats(ajv);
      ajv.addSchema(doc, 'doc');
      for (const name of Object.keys(doc.components.schemas)) {
        expect(() => ajv.compile({ $ref: `doc#/components/schemas/${name}` }), name).not.toThrow();
      }
    });
  }

  it('cloudmc: a real answer of the mock validates against the served document', async () => {
    const doc = (await request(t.app).get('/__admin/openapi/cloudmc.json')).body;
    const op = doc.paths['/api/v1/services/{serviceCode}/{environment}/images'].get;
    expect(op.security).toEqual([{ credentials: [] }]);
    expect(doc.components.securitySchemes.credentials).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'MC-Api-Key',
    });
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual([
      'serviceCode',
      'environment',
      'imageType',
      'includeOnlySystemImages',
    ]);
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    ajv.addSchema(doc, 'doc');
    const validate = ajv.compile({
      $ref: `doc${op.responses['200'].content['application/json'].schema.$ref}`,
    });
    const answer = await request(t.app)
      .get('/api/v1/services/stackpath/test-area/images')
      .set('MC-Api-Key', 'mc-demo-key');
    expect(answer.body.data.length).toBeGreaterThan(0);
    expect(validate(answer.body)).toBe(true);
    expect(validate({ data: [{ id: 1 }], metadata: { recordCount: 1 } })).toBe(false);
  });

  it('glance: every Image API operation is in the document, with the token check documented', async () => {
    const doc = (await request(t.app).get('/__admin/openapi/glance.json')).body;
    const listed = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed).toEqual(
      expect.arrayContaining([
        'GET /versions',
        'GET /v3',
        'POST /v3/auth/tokens',
        'GET /v2/images',
        'POST /v2/images',
        'GET /v2/images/{id}',
        'PATCH /v2/images/{id}',
        'DELETE /v2/images/{id}',
        'GET /v2/images/{id}/file',
        'PUT /v2/images/{id}/file',
        'PUT /v2/images/{id}/tags/{tag}',
        'DELETE /v2/images/{id}/tags/{tag}',
        'POST /v2/images/{id}/actions/deactivate',
        'POST /v2/images/{id}/actions/reactivate',
        'GET /v2/images/{id}/members',
        'POST /v2/images/{id}/members',
        'GET /v2/images/{id}/members/{member}',
        'PUT /v2/images/{id}/members/{member}',
        'DELETE /v2/images/{id}/members/{member}',
        'GET /v2/schemas/image',
        'GET /v2/info/import',
      ]),
    );
    const images = (doc.paths as Record<string, Record<string, { responses: Json }>>)['/v2/images']!;
    expect(Object.keys(images.get!.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
    expect(doc.components.securitySchemes.credentials).toMatchObject({ in: 'header', name: 'X-Auth-Token' });
  });

  it('names the server as the client reached it, sandbox prefix included', async () => {
    // supertest listens on a new port per request, so compare everything but the port
    const sandbox = await request(t.app).post('/__admin/sandboxes').send({ id: 'docs' });
    expect(sandbox.body.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__sandbox\/docs$/);
    const doc = (await request(t.app).get('/__sandbox/docs/__admin/openapi/cloudmc.json')).body;
    expect(doc.servers[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__sandbox\/docs$/);
    await request(t.app).delete('/__admin/sandboxes/docs');
  });

  it('answers 404 for an unknown provider', async () => {
    const res = await request(t.app).get('/__admin/openapi/nobody.json');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("no provider 'nobody'");
  });
});
