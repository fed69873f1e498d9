import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { callerOf } from '../../src/providers/glance/auth.js';
import { ImageAnswers, pagesComposeFromImages } from '../../src/providers/glance/routes/image-answers.js';
import { Catalog } from '../../src/providers/glance/model/index.js';
import { type ImageRecord, imageToWire } from '../../src/providers/glance/model/image.js';
import { listImages } from '../../src/providers/glance/model/list-images.js';
import { pageLinks, parseListQuery } from '../../src/providers/glance/model/list-query.js';
import { pythonJsonDumps } from '../../src/providers/glance/model/python-text.js';
import {
  as,
  CIRROS,
  DEACTIVATED,
  glanceData,
  OTHER,
  PRIVATE_OF_USER,
  QUEUED_OF_USER,
  SHARED_OF_OTHER,
  stored,
  type TestApp,
  testApp,
  TOKENS,
  USER,
  type Who,
} from './kit.js';

let t: TestApp;
const images = () => t.ctx.store.collection<ImageRecord>('glance', 'images');
beforeEach(async () => {
  t = await testApp();
  // a frozen clock: a change made at the same instant as the one before leaves updated_at as it was,
  // so a kept answer cannot pass for fresh by its timestamp
  t.ctx.clock.freeze(new Date('2026-03-04T05:06:07Z'));
});

const QUERIES = [
  '',
  'limit=5',
  'limit=1000',
  'sort=name:asc&limit=1000',
  'visibility=shared&member_status=all',
];
const WHO: Who[] = ['user', 'other', 'admin'];

/** The list page as the router made it before answers were kept: from the store, serialised afresh. */
function uncachedPage(who: Who, query: string): string {
  const token = glanceData(t).tokens.find((k) => k.token === TOKENS[who])!;
  const pairs = [...new URLSearchParams(query)];
  const catalog = new Catalog(t.ctx.store);
  const { page, next } = listImages(catalog, callerOf(token), parseListQuery(pairs));
  const links = pageLinks(pairs, next);
  return pythonJsonDumps({
    images: page.map(imageToWire),
    first: links.first,
    schema: '/v2/schemas/images',
    ...(links.next ? { next: links.next } : {}),
  });
}

const uncachedImage = (id: string) => pythonJsonDumps(imageToWire(stored(t, id)!));

/** Every list and the gets of `ids`, asked twice (the second from what was kept). */
async function expectFresh(ids: string[]): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const who of WHO) {
      for (const query of QUERIES) {
        const res = await as(t, who).get(`/v2/images${query ? `?${query}` : ''}`);
        expect(res.status, `${who} ${query}`).toBe(200);
        expect(res.text, `${who} ${query}`).toBe(uncachedPage(who, query));
      }
    }
    for (const id of ids) {
      const res = await as(t, 'admin').get(`/v2/images/${id}`);
      if (stored(t, id)) expect(res.text, id).toBe(uncachedImage(id));
      else expect(res.status, id).toBe(404);
    }
  }
}

const patch = (who: Who, id: string, ops: unknown[]) => as(t, who).patch(`/v2/images/${id}`, ops);

/** Every answer the checks above compare, as an uncached serialisation gives them. */
function everyAnswer(ids: string[]): string {
  const pages = WHO.flatMap((who) => QUERIES.map((query) => uncachedPage(who, query)));
  return [...pages, ...ids.map((id) => (stored(t, id) ? uncachedImage(id) : '404'))].join('\n');
}

const member = (image: string, project: string) =>
  glanceData(t).members.find((m) => m.image_id === image && m.member_id === project)!;

/** Each way the API (or the admin API) changes what an image or a list looks like. */
const CHANGES: {
  name: string;
  ids: string[];
  /** What the change needs first (its answers are checked before the change too). */
  arrange?: () => Promise<unknown>;
  change: () => Promise<{ status: number }>;
}[] = [
  {
    name: 'PATCH replace a base field',
    ids: [PRIVATE_OF_USER],
    change: () => patch('user', PRIVATE_OF_USER, [{ op: 'replace', path: '/name', value: 'renamed' }]),
  },
  {
    name: 'PATCH add a custom property',
    ids: [PRIVATE_OF_USER],
    change: () => patch('user', PRIVATE_OF_USER, [{ op: 'add', path: '/hw_qemu_guest_agent', value: 'yes' }]),
  },
  {
    name: 'PATCH remove a custom property',
    ids: [CIRROS],
    change: () => patch('admin', CIRROS, [{ op: 'remove', path: '/os_distro' }]),
  },
  {
    name: 'PATCH visibility (the image joins other lists)',
    ids: [PRIVATE_OF_USER],
    change: () => patch('user', PRIVATE_OF_USER, [{ op: 'replace', path: '/visibility', value: 'shared' }]),
  },
  {
    name: 'PATCH os_hidden (the image leaves default lists)',
    ids: [CIRROS],
    change: () => patch('admin', CIRROS, [{ op: 'replace', path: '/os_hidden', value: true }]),
  },
  {
    name: 'tag added',
    ids: [PRIVATE_OF_USER],
    change: () => as(t, 'user').put(`/v2/images/${PRIVATE_OF_USER}/tags/fresh-tag`),
  },
  {
    name: 'tag removed',
    ids: [CIRROS],
    change: () => as(t, 'admin').delete(`/v2/images/${CIRROS}/tags/cirros`),
  },
  {
    name: 'deactivate',
    ids: [CIRROS],
    change: () => as(t, 'admin').post(`/v2/images/${CIRROS}/actions/deactivate`),
  },
  {
    name: 'reactivate',
    ids: [DEACTIVATED],
    change: () => as(t, 'admin').post(`/v2/images/${DEACTIVATED}/actions/reactivate`),
  },
  {
    name: 'upload',
    ids: [QUEUED_OF_USER],
    arrange: () =>
      patch('user', QUEUED_OF_USER, [
        { op: 'add', path: '/disk_format', value: 'raw' },
        { op: 'add', path: '/container_format', value: 'bare' },
      ]),
    change: () =>
      as(t, 'user')
        .put(`/v2/images/${QUEUED_OF_USER}/file`)
        .set('Content-Type', 'application/octet-stream')
        .send(Buffer.from('some image bytes')),
  },
  {
    name: 'create',
    ids: [],
    change: () => as(t, 'user').post('/v2/images', { name: 'new one', visibility: 'shared' }),
  },
  {
    name: 'delete',
    ids: [PRIVATE_OF_USER],
    change: () => as(t, 'user').delete(`/v2/images/${PRIVATE_OF_USER}`),
  },
  {
    name: "member added (pending: in the new member's member_status=all list)",
    ids: [QUEUED_OF_USER],
    change: () => as(t, 'user').post(`/v2/images/${QUEUED_OF_USER}/members`, { member: OTHER }),
  },
  {
    name: "member status changed (rejected: out of the member's default list)",
    ids: [SHARED_OF_OTHER],
    change: () => {
      expect(member(SHARED_OF_OTHER, USER).status).toBe('accepted');
      return as(t, 'user')
        .put(`/v2/images/${SHARED_OF_OTHER}/members/${USER}`)
        .set('Content-Type', 'application/json')
        .send({ status: 'rejected' });
    },
  },
  {
    name: 'member removed',
    ids: [SHARED_OF_OTHER],
    change: () => as(t, 'other').delete(`/v2/images/${SHARED_OF_OTHER}/members/${USER}`),
  },
  {
    name: 'admin insert',
    ids: ['99999999-0000-4000-8000-000000000001'],
    change: () =>
      request(t.app).post('/__admin/store/glance/images').send({
        id: '99999999-0000-4000-8000-000000000001',
        name: 'admin-inserted',
        owner: USER,
        visibility: 'private',
        created_at: '2024-06-15T12:00:00Z',
      }),
  },
  {
    name: 'admin delete',
    ids: [CIRROS],
    change: () => request(t.app).delete(`/__admin/store/glance/images/${CIRROS}`),
  },
  {
    name: 'reset (to the fixtures, as before the warm-up changes)',
    ids: [CIRROS, PRIVATE_OF_USER],
    change: () => request(t.app).post('/__admin/reset'),
  },
  {
    name: 'snapshot restore',
    ids: [CIRROS, PRIVATE_OF_USER],
    arrange: async () => {
      expect((await request(t.app).put('/__admin/snapshots/before')).status).toBeLessThan(300);
      await patch('admin', CIRROS, [{ op: 'replace', path: '/name', value: 'changed after the snapshot' }]);
      await as(t, 'user').delete(`/v2/images/${PRIVATE_OF_USER}`);
    },
    change: () => request(t.app).post('/__admin/snapshots/before/restore'),
  },
];

describe('Glance answers kept between requests follow every change', () => {
  it('a page is the bytes an uncached serialisation gives, first asked and repeated', async () => {
    await expectFresh([CIRROS, PRIVATE_OF_USER, SHARED_OF_OTHER]);
  });

  it.each(CHANGES)('$name shows in the next list and get', async ({ ids, arrange, change }) => {
    // bring updated_at of the images to the frozen instant, so a change leaves it as it is
    for (const id of [CIRROS, PRIVATE_OF_USER, DEACTIVATED, QUEUED_OF_USER]) {
      const owner: Who = stored(t, id)!.owner === USER ? 'user' : 'admin';
      expect((await patch(owner, id, [{ op: 'add', path: '/warm', value: 'x' }])).status).toBe(200);
    }
    await arrange?.();
    await expectFresh(ids);
    const before = everyAnswer(ids);
    const res = await change();
    expect(res.status, 'the change itself').toBeLessThan(300);
    expect(everyAnswer(ids), 'the change shows in some answer').not.toBe(before);
    await expectFresh(ids);
  });

  it('a change written behind the Glance API (straight into the store) shows too', async () => {
    await expectFresh([CIRROS]);
    await images().update(CIRROS, { name: 'changed in the store' });
    await expectFresh([CIRROS]);
    expect((await as(t, 'admin').get(`/v2/images/${CIRROS}`)).body.name).toBe('changed in the store');
  });

  it('an image broken behind the API fails its schema on the next get and list, not hidden by a kept answer', async () => {
    await expectFresh([CIRROS]);
    await images().update(CIRROS, { status: 'BROKEN' as ImageRecord['status'] });
    const get = await as(t, 'admin').get(`/v2/images/${CIRROS}`);
    expect(get.status).toBe(500);
    expect(get.body).toMatchObject({ error: 'response-schema-mismatch', schema: 'glance/image' });
    const list = await as(t, 'admin').get('/v2/images?limit=1000');
    expect(list.status).toBe(500);
    expect(list.body.schema).toBe('glance/images');
    const at = (
      JSON.parse(uncachedPage('admin', 'limit=1000')) as { images: { id: string }[] }
    ).images.findIndex((i) => i.id === CIRROS);
    expect(list.body.issues).toEqual([expect.objectContaining({ path: `/images/${at}/status` })]);
  });
});

describe('a kept page', () => {
  it('is the same answer until the images or memberships change', async () => {
    const answers = new ImageAnswers(t.ctx, new Catalog(t.ctx.store));
    const build = () => ({ images: images().all().slice(0, 3), first: '/v2/images' });
    const page = answers.page('k', build);
    expect(answers.page('k', build)).toBe(page);
    await images().update(CIRROS, { name: 'changed' });
    const after = answers.page('k', build);
    expect(after).not.toBe(page);
    expect(answers.page('k', build)).toBe(after);
    const members = t.ctx.store.collection('glance', 'members');
    await members.remove(members.idOf(members.all()[0]!));
    expect(answers.page('k', build)).not.toBe(after);
  });
});

describe('the page schema is checked on the envelope alone only when that is the same as checking the page', () => {
  it('holds for the schemas as shipped', () => {
    expect(pagesComposeFromImages(t.ctx)).toBe(true);
  });

  it('does not hold when the page schema could look into its items', () => {
    const images = t.ctx.validator.schema('glance/images') as Record<string, unknown> & {
      properties: { images: Record<string, unknown> };
    };
    const array = images.properties.images;
    array.maxItems = 3;
    try {
      expect(pagesComposeFromImages(t.ctx)).toBe(false);
    } finally {
      delete array.maxItems;
    }
    images.allOf = [];
    try {
      expect(pagesComposeFromImages(t.ctx)).toBe(false);
    } finally {
      delete images.allOf;
    }
    expect(pagesComposeFromImages(t.ctx)).toBe(true);
  });
});

describe('kept answers belong to one instance', () => {
  it('a sandbox and the main instance asked the same page each answer from their own store', async () => {
    const created = await request(t.app).post('/__admin/sandboxes').send({});
    expect(created.status).toBe(201);
    const base = (created.body as { basePath: string }).basePath;
    const page = (prefix: string) => as(t, 'admin').get(`${prefix}/v2/images?limit=3`);
    const main = (await page('')).text;
    expect((await page(base)).text).toBe(main);
    const first = (JSON.parse(main) as { images: { id: string }[] }).images[0]!.id;
    const renamed = await as(t, 'admin').patch(`${base}/v2/images/${first}`, [
      { op: 'replace', path: '/name', value: 'only in the sandbox' },
    ]);
    expect(renamed.status).toBe(200);
    expect((await page(base)).text).toContain('only in the sandbox');
    expect((await page('')).text).toBe(main);
    expect((await as(t, 'admin').get(`/v2/images/${first}`)).text).toBe(uncachedImage(first));
  });
});
