import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers/index.js';
import { testApp } from '../helpers.js';

let t: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  t = await testApp();
});

const KEY = 'mc-demo-key';
const TEST_AREA_STACK = '4a5cc57c-3e7f-4800-bb0b-cfcadef4797e';

describe('/__admin/health', () => {
  it('reports ready with the mounted providers', async () => {
    const res = await request(t.app).get('/__admin/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', ready: true, store: 'memory' });
    expect(res.body.providers).toContain('cloudmc');
  });
});

describe('/__admin/store: arrange records', () => {
  it('inserts a CloudMC image that the API then lists and serves', async () => {
    const ins = await request(t.app).post('/__admin/store/cloudmc/images').send({
      serviceCode: 'stackpath',
      environment: 'test-area',
      family: 'my-app',
      tag: 'v1',
      status: 'PENDING',
    });
    expect(ins.status).toBe(201);
    const record = ins.body.records[0];
    expect(record).toMatchObject({
      id: `${TEST_AREA_STACK}/my-app/v1`,
      reference: 'stackpath-edge/my-app:v1',
      slug: 'stackpath-edge',
      stackId: TEST_AREA_STACK,
      status: 'PENDING',
      deprecated: false,
    });
    const list = await request(t.app)
      .get('/api/v1/services/stackpath/test-area/images?imageType=custom')
      .set('MC-Api-Key', KEY);
    expect(list.body.data.map((i: { id: string }) => i.id)).toEqual([record.id]);
    const one = await request(t.app)
      .get(`/api/v1/services/stackpath/test-area/images/${record.id}`)
      .set('MC-Api-Key', KEY);
    expect(one.body.data.status).toBe('PENDING');
  });

  it('lists each record with the id its own path takes, a CloudMC image by its composite id', async () => {
    const list = await request(t.app).get('/__admin/store/cloudmc/images').expect(200);
    expect(list.body.ids).toHaveLength(list.body.records.length);
    const [id] = list.body.ids as string[];
    const first = list.body.records[0] as { serviceCode: string; id: string };
    expect(id).toBe(`${first.serviceCode}/${first.id}`);
    await request(t.app).delete(`/__admin/store/cloudmc/images/${id}`).expect(204);
    await request(t.app).get(`/__admin/store/cloudmc/images/${id}`).expect(404);
  });

  it('timestamps a new record with the mock clock', async () => {
    t.ctx.clock.freeze(new Date('2030-01-02T03:04:05.678Z'));
    const ins = await request(t.app)
      .post('/__admin/store/cloudmc/images')
      .send({ serviceCode: 'cox', family: 'frozen', tag: 'v1' });
    expect(ins.body.records[0].createdAt).toBe('2030-01-02T03:04:05.678000Z');
    expect(ins.body.records[0].environment).toBeNull();
  });

  it('inserts several records at once, all or nothing', async () => {
    const before = (await request(t.app).get('/__admin/store/cloudmc/images')).body.records.length;
    const bad = await request(t.app)
      .post('/__admin/store/cloudmc/images')
      .send([
        { serviceCode: 'cox', family: 'ok', tag: 'v1' },
        { serviceCode: 'cox', family: 'bad', tag: 'v1', status: 'BROKEN' },
      ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^\[1\] status: /);
    expect((await request(t.app).get('/__admin/store/cloudmc/images')).body.records).toHaveLength(before);
  });

  it.each([
    [{ serviceCode: 'cox', family: 'x', tag: 'v1', colour: 'red' }, /^colour: unknown field/],
    [{ serviceCode: 'nope', family: 'x', tag: 'v1' }, /^serviceCode: no service connection 'nope'/],
    [
      { serviceCode: 'cox', environment: 'mars', family: 'x', tag: 'v1' },
      /^environment: no environment 'mars'/,
    ],
    [{ serviceCode: 'cox', tag: 'v1' }, /^family: /],
    [{ serviceCode: 'cox', family: 'a/b', tag: 'v1' }, /^family: /],
    [{ serviceCode: 'cox', family: 'x', tag: 'v1', createdAt: 'yesterday' }, /^createdAt: /],
    ['just a string', /must be a JSON object/],
  ])('refuses an invalid record with a 400 naming the field (%j)', async (record, message) => {
    const res = await request(t.app)
      .post('/__admin/store/cloudmc/images')
      .send(JSON.stringify(record))
      .type('json');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });

  it('refuses a duplicate id with 409', async () => {
    const record = { serviceCode: 'cox', family: 'dup', tag: 'v1' };
    expect((await request(t.app).post('/__admin/store/cloudmc/images').send(record)).status).toBe(201);
    const again = await request(t.app).post('/__admin/store/cloudmc/images').send(record);
    expect(again.status).toBe(409);
  });

  it('adds an API key bound to one environment', async () => {
    const key = { key: 'ci-key', name: 'CI', bindings: [{ serviceCode: 'cox', environment: 'staging' }] };
    expect((await request(t.app).post('/__admin/store/cloudmc/apiKeys').send(key)).status).toBe(201);
    expect(
      (await request(t.app).get('/api/v1/services/cox/staging/images').set('MC-Api-Key', 'ci-key')).status,
    ).toBe(200);
    expect(
      (await request(t.app).get('/api/v1/services/cox/test-area/images').set('MC-Api-Key', 'ci-key')).status,
    ).toBe(403);
  });

  it('gets and deletes one record by its id (service code first for images)', async () => {
    const id = `stackpath/a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110`;
    const one = await request(t.app).get(`/__admin/store/cloudmc/images/${id}`);
    expect(one.status).toBe(200);
    expect(one.body.serviceCode).toBe('stackpath');
    expect((await request(t.app).delete(`/__admin/store/cloudmc/images/${id}`)).status).toBe(204);
    expect((await request(t.app).delete(`/__admin/store/cloudmc/images/${id}`)).status).toBe(404);
    const gone = await request(t.app)
      .get(
        '/api/v1/services/stackpath/test-area/images/a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110',
      )
      .set('MC-Api-Key', KEY);
    expect(gone.status).toBe(404);
    const cox = await request(t.app)
      .get('/api/v1/services/cox/test-area/images/a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110')
      .set('MC-Api-Key', KEY);
    expect(cox.status).toBe(200);
  });

  it('answers 404 for unknown providers, collections and endpoints, 400 for malformed JSON', async () => {
    expect((await request(t.app).get('/__admin/store/nope/images')).status).toBe(404);
    expect((await request(t.app).get('/__admin/store/cloudmc/nope')).status).toBe(404);
    expect((await request(t.app).get('/__admin/nope')).status).toBe(404);
    const bad = await request(t.app).post('/__admin/store/cloudmc/images').type('json').send('{"a":');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'body is not valid JSON' });
  });
});

describe('/__admin/store: names of built-in properties are no collections', () => {
  const builtIns = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

  it('GET, POST and DELETE on a collection named like an Object property answer 404 naming it', async () => {
    for (const { name } of providers) {
      for (const collection of builtIns) {
        const base = `/__admin/store/${name}/${collection}`;
        const answers = {
          GET: await request(t.app).get(base),
          POST: await request(t.app).post(base).send({ id: 'zzz' }),
          'GET one': await request(t.app).get(`${base}/zzz`),
          DELETE: await request(t.app).delete(`${base}/zzz`),
        };
        for (const [method, res] of Object.entries(answers)) {
          const what = `${method} ${base}`;
          expect(res.status, what).toBe(404);
          expect(res.body, what).toEqual({ error: `provider '${name}' has no collection '${collection}'` });
        }
      }
    }
  });

  it('and a provider named like one is no provider', async () => {
    for (const provider of builtIns) {
      const res = await request(t.app).get(`/__admin/store/${provider}/images`);
      expect(res.status, provider).toBe(404);
      expect(res.body, provider).toEqual({ error: `no provider '${provider}'` });
    }
  });
});

describe('/__admin/reset', () => {
  it('undoes every change', async () => {
    const before = (await request(t.app).get('/__admin/store/cloudmc/images')).body.records;
    await request(t.app).delete(
      '/__admin/store/cloudmc/images/stackpath/a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110',
    );
    const res = await request(t.app).post('/__admin/reset');
    expect(res.status).toBe(200);
    expect((await request(t.app).get('/__admin/store/cloudmc/images')).body.records).toEqual(before);
  });

  it('re-seeds with another seed, and refuses a bad one', async () => {
    const before = (await request(t.app).get('/__admin/store/cloudmc/images')).body.records;
    const res = await request(t.app).post('/__admin/reset').send({ seed: 9 });
    expect(res.body).toMatchObject({ status: 'reset', seed: 9 });
    expect((await request(t.app).get('/__admin/store/cloudmc/images')).body.records).not.toEqual(before);
    expect((await request(t.app).post('/__admin/reset').send({ seed: -1 })).status).toBe(400);
    expect((await request(t.app).post('/__admin/reset').send({ seed: 'x' })).status).toBe(400);
    expect(
      (
        await request(t.app)
          .post('/__admin/reset')
          .send({ providers: ['nope'] })
      ).status,
    ).toBe(400);
  });
});
