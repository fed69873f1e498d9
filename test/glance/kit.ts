import request from 'supertest';
import type { GlanceData } from '../../src/providers/glance/model/index.js';
import type { ImageRecord } from '../../src/providers/glance/model/image.js';
import { testApp } from '../helpers.js';

export type TestApp = Awaited<ReturnType<typeof testApp>>;

export const ADMIN = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0';
export const USER = 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1';
export const OTHER = 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2';
export const TOKENS = { admin: 'admin-token', user: 'user-token', other: 'other-token' } as const;
export type Who = keyof typeof TOKENS;

export const CIRROS = 'c1a0b0c0-0000-4000-8000-000000000001';
export const PRIVATE_OF_USER = 'c1a0b0c0-0000-4000-8000-000000000002';
export const SHARED_OF_OTHER = 'c1a0b0c0-0000-4000-8000-000000000003';
export const HIDDEN_OF_OTHER = 'c1a0b0c0-0000-4000-8000-000000000004';
export const DEACTIVATED = 'c1a0b0c0-0000-4000-8000-000000000005';
export const QUEUED_OF_USER = 'c1a0b0c0-0000-4000-8000-000000000006';

export const PATCH_21 = 'application/openstack-images-v2.1-json-patch';
export const PATCH_20 = 'application/openstack-images-v2.0-json-patch';
export const ACCEPT_PATCH_VALUE = `${PATCH_20}, ${PATCH_21}`;

/** Requests as one of the fixture projects, JSON errors unless another Accept is set. */
export function as(t: TestApp, who: Who) {
  const auth = (r: request.Test) => r.set('X-Auth-Token', TOKENS[who]).set('Accept', 'application/json');
  return {
    get: (path: string) => auth(request(t.app).get(path)),
    post: (path: string, body?: unknown) => {
      const r = auth(request(t.app).post(path));
      return body === undefined ? r : r.set('Content-Type', 'application/json').send(JSON.stringify(body));
    },
    patch: (path: string, body: unknown, type = PATCH_21) =>
      auth(request(t.app).patch(path)).set('Content-Type', type).send(JSON.stringify(body)),
    put: (path: string) => auth(request(t.app).put(path)),
    delete: (path: string) => auth(request(t.app).delete(path)),
  };
}

export const glanceData = (t: TestApp) => t.ctx.store.data<GlanceData>('glance');
export const stored = (t: TestApp, id: string) => glanceData(t).images.find((i) => i.id === id);

/** The message a JSON error body carries for an explanation without detail. */
export const jsonError = (status: string, explanation: string, detail = '') => ({
  message: `${explanation}<br /><br />\n${detail}\n\n`,
  code: status,
  title: status.replace(/^\d+ /, ''),
});

/** What a project should see in its default list, computed from the store independently of the router. */
/** `project` is a project id, or 'admin' for what an admin sees. */
export function expectedDefaultList(t: TestApp, project: string): ImageRecord[] {
  const { images, members } = glanceData(t);
  return images
    .filter((i) => !i.os_hidden)
    .filter((i) => i.visibility !== 'community' || i.owner === (project === 'admin' ? ADMIN : project))
    .filter(
      (i) =>
        project === 'admin' ||
        i.owner === project ||
        i.visibility === 'public' ||
        (i.visibility === 'shared' &&
          members.some((m) => m.image_id === i.id && m.member_id === project && m.status === 'accepted')),
    )
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || images.indexOf(b) - images.indexOf(a));
}

export { testApp };
