import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { StoredImage } from '../../src/providers/cloudmc/model.js';
import { Validator } from '../../src/validation/validator.js';
import { schemasDir } from '../../src/paths.js';
import { testApp } from '../helpers.js';

const LIST = '/api/v1/services/stackpath/test-area/images';

/** Corrupts a stored record behind the API's back, as a bug in the mock would. */
async function appWithBrokenRecord(validate: 'fail' | 'warn' | 'off') {
  const t = await testApp({ validate });
  const logged: unknown[] = [];
  t.ctx.logger.error = (obj: unknown) => {
    logged.push(obj);
  };
  const images = t.ctx.store.collection<StoredImage>('cloudmc', 'images');
  const image = images.find((i) => i.serviceCode === 'stackpath')!;
  await images.update(images.idOf(image), { status: 'BROKEN' as StoredImage['status'] });
  return { ...t, logged };
}

describe('response validation', () => {
  it('fail (default): a body that breaks its schema becomes a 500 naming the schema and the problem', async () => {
    const { app, logged } = await appWithBrokenRecord('fail');
    const res = await request(app).get(LIST).set('MC-Api-Key', 'mc-demo-key');
    expect(res.status).toBe(500);
    expect(res.headers['x-mock-error']).toBe('schema-mismatch');
    expect(res.body.error).toBe('response-schema-mismatch');
    expect(res.body.schema).toBe('cloudmc/image-list');
    expect(res.body.issues[0].path).toBe('/data/0/status');
    expect(logged).toContainEqual(expect.objectContaining({ schema: 'cloudmc/image-list' }));
  });

  it('warn: the body goes out as it is, and the mismatch is logged', async () => {
    const { app, logged } = await appWithBrokenRecord('warn');
    const res = await request(app).get(LIST).set('MC-Api-Key', 'mc-demo-key');
    expect(res.status).toBe(200);
    expect(res.body.data[0].status).toBe('BROKEN');
    expect(logged).toContainEqual(expect.objectContaining({ schema: 'cloudmc/image-list' }));
  });

  it('off: no check at all', async () => {
    const { app, logged } = await appWithBrokenRecord('off');
    const res = await request(app).get(LIST).set('MC-Api-Key', 'mc-demo-key');
    expect(res.status).toBe(200);
    expect(logged).toHaveLength(0);
  });

  it('error bodies are validated too', async () => {
    const t = await testApp();
    const res = await request(t.app).get(LIST);
    expect(res.status).toBe(401);
    expect(t.ctx.validator.check('cloudmc/error', res.body)).toBeNull();
  });
});

describe('Validator', () => {
  const validator = new Validator(schemasDir);
  it('compiles every schema under schemas/ with ids from their paths', () => {
    expect(validator.ids()).toEqual(
      expect.arrayContaining(['cloudmc/image', 'cloudmc/image-list', 'cloudmc/error']),
    );
  });
  it('resolves relative $refs between schemas of one provider', () => {
    const image = {
      stackId: 's',
      id: 's/f/t',
      slug: 'x',
      family: 'f',
      tag: 't',
      createdAt: 'nope',
      description: '',
      reference: 'x/f:t',
      status: 'READY',
    };
    expect(validator.check('cloudmc/image-get', { data: image })).toEqual([
      { path: '/data/createdAt', message: expect.stringMatching(/pattern/) },
    ]);
  });
  it('names unknown and missing properties by path', () => {
    expect(validator.check('cloudmc/image-get', { data: {}, extra: 1 })?.[0]?.path).toBe('/extra');
    expect(validator.check('cloudmc/error', {})?.[0]?.path).toBe('/errors');
  });
  it('refuses an unknown schema id loudly (a bug, not a client error)', () => {
    expect(() => validator.check('nope/none', {})).toThrow(/no schema 'nope\/none'/);
  });
});
