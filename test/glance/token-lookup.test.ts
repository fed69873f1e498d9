import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testApp } from './kit.js';

const LOGIN = {
  auth: {
    identity: {
      methods: ['password'],
      password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } },
    },
  },
};

const token = (value: string) => ({
  token: value,
  project_id: 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1',
  project_name: 'demo',
  user_id: 'u',
  user_name: 'u',
  roles: ['member'],
  expires_at: '2099-01-01T00:00:00.000000Z',
});

describe('Glance tokens follow every change of the collection', () => {
  it('a login, an admin insert, an admin delete and a reset each show in the next request', async () => {
    const t = await testApp();
    const images = (value: string) => request(t.app).get('/v2/images').set('X-Auth-Token', value);
    const login = await request(t.app).post('/v3/auth/tokens').send(LOGIN);
    expect(login.status).toBe(201);
    const issued = login.headers['x-subject-token'] as string;
    expect((await images(issued)).status).toBe(200);

    expect((await images('inserted')).status).toBe(401);
    expect((await request(t.app).post('/__admin/store/glance/tokens').send(token('inserted'))).status).toBe(
      201,
    );
    expect((await images('inserted')).status).toBe(200);

    expect((await request(t.app).delete('/__admin/store/glance/tokens/inserted')).status).toBe(204);
    expect((await images('inserted')).status).toBe(401);

    expect((await request(t.app).post('/__admin/reset').send({})).status).toBe(200);
    expect((await images(issued)).status).toBe(401);
  });
});
