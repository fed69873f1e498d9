import { beforeAll, describe, expect, it } from 'vitest';
import { pythonUrlencode } from '../../src/providers/glance/model/list-query.js';
import {
  ADMIN,
  as,
  CIRROS,
  expectedDefaultList,
  glanceData,
  HIDDEN_OF_OTHER,
  jsonError,
  OTHER,
  SHARED_OF_OTHER,
  type TestApp,
  testApp,
  USER,
} from './kit.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

const ids = (res: { body: { images: { id: string }[] } }) => res.body.images.map((i) => i.id);

/** Every id a caller lists by following `next` links (bounded). */
async function walk(who: 'user' | 'admin' | 'other', first: string): Promise<string[]> {
  const seen: string[] = [];
  let path: string | undefined = first;
  for (let i = 0; path && i < 500; i++) {
    const res = await as(t, who).get(path);
    expect(res.status).toBe(200);
    seen.push(...ids(res));
    path = res.body.next as string | undefined;
  }
  return seen;
}

describe('default list', () => {
  it('has more than one default page for an ordinary project, so paging is real', () => {
    expect(expectedDefaultList(t, USER).length).toBeGreaterThan(25);
  });

  it('is newest first, 25 per page, with first/next/schema as Glance writes them', async () => {
    const res = await as(t, 'user').get('/v2/images');
    expect(res.status).toBe(200);
    const expected = expectedDefaultList(t, USER);
    expect(ids(res)).toEqual(expected.slice(0, 25).map((i) => i.id));
    expect(Object.keys(res.body)).toEqual(['images', 'first', 'schema', 'next']);
    expect(res.body.first).toBe('/v2/images');
    expect(res.body.schema).toBe('/v2/schemas/images');
    expect(res.body.next).toBe(`/v2/images?marker=${expected[24]!.id}`);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text.startsWith('{"images": [{')).toBe(true);
  });

  it('following next visits every visible image exactly once, in order', async () => {
    for (const [who, project] of [
      ['user', USER],
      ['other', OTHER],
      ['admin', 'admin'],
    ] as const) {
      const all = await walk(who, '/v2/images?limit=7');
      expect(all).toEqual(expectedDefaultList(t, project).map((i) => i.id));
    }
  });

  it('an empty list has no next', async () => {
    const res = await as(t, 'user').get('/v2/images?name=no-such-name');
    expect(res.text).toBe(
      '{"images": [], "first": "/v2/images?name=no-such-name", "schema": "/v2/schemas/images"}',
    );
  });

  it('a full last page still carries next (Glance cannot know it is the last)', async () => {
    const n = expectedDefaultList(t, USER).length;
    const res = await as(t, 'user').get(`/v2/images?limit=${n}`);
    expect(res.body.images).toHaveLength(n);
    expect(res.body.next).toBeDefined();
    const after = await as(t, 'user').get(res.body.next as string);
    expect(after.body.images).toEqual([]);
    expect(after.body.next).toBeUndefined();
  });

  it('ascending created_at walks the same index backwards', async () => {
    const all = await walk('user', '/v2/images?sort_dir=asc&limit=6');
    expect(all).toEqual(
      expectedDefaultList(t, USER)
        .map((i) => i.id)
        .reverse(),
    );
  });
});

describe('limit and marker', () => {
  it.each([
    ['limit=abc', 'limit param must be an integer'],
    ['limit=1.5', 'limit param must be an integer'],
    ['limit=-1', 'limit param must be positive'],
    ['marker=abc', 'No image found with ID abc'],
    [
      'marker=00000000-0000-4000-8000-000000000000',
      'No image found with ID 00000000-0000-4000-8000-000000000000',
    ],
  ])('%s → 400 %s', async (query, message) => {
    const res = await as(t, 'user').get(`/v2/images?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(jsonError('400 Bad Request', message));
  });

  it('limit=0 is an empty page without next', async () => {
    const res = await as(t, 'user').get('/v2/images?limit=0');
    expect(res.body.images).toEqual([]);
    expect(res.body.next).toBeUndefined();
    expect(res.body.first).toBe('/v2/images?limit=0');
  });

  it('limit is capped at 1000', async () => {
    const res = await as(t, 'admin').get('/v2/images?limit=5000');
    expect(res.body.images.length).toBe(expectedDefaultList(t, 'admin').length);
    expect(res.body.images.length).toBeLessThan(1000);
  });

  it('a marker the caller cannot see is unknown to it', async () => {
    const privateOfAdmin = glanceData(t).images.find((i) => i.owner === ADMIN && i.visibility === 'private')!;
    const res = await as(t, 'user').get(`/v2/images?marker=${privateOfAdmin.id}`);
    expect(res.status).toBe(400);
  });

  it('a marker outside the filter still positions the page', async () => {
    const expected = expectedDefaultList(t, USER).filter((i) => i.visibility === 'public');
    const all = expectedDefaultList(t, USER);
    const marker = all[10]!;
    const res = await as(t, 'user').get(`/v2/images?visibility=public&marker=${marker.id}&limit=1000`);
    expect(ids(res)).toEqual(expected.filter((i) => all.indexOf(i) > 10).map((i) => i.id));
  });
});

describe('links', () => {
  it('first drops marker, next puts it last; values are quote_plus encoded', async () => {
    const res = await as(t, 'user').get(
      '/v2/images?limit=1&marker=' + CIRROS + '&sort=name:asc,id&foo=b+c%21%27%28~',
    );
    expect(res.body.first).toBe('/v2/images?limit=1&sort=name%3Aasc%2Cid&foo=b+c%21%27%28~');
  });

  it('a repeated parameter keeps its first position and its last value, as dict(request.params) does', async () => {
    const res = await as(t, 'user').get('/v2/images?limit=1&tag=lts&tag=gpu&sort_key=name');
    expect(res.body.first).toBe('/v2/images?limit=1&tag=gpu&sort_key=name');
    if (res.body.images.length === 1) {
      expect(res.body.next).toBe(`/v2/images?limit=1&tag=gpu&sort_key=name&marker=${res.body.images[0].id}`);
    }
  });

  it('urlencode matches Python for unicode and reserved characters', () => {
    expect(pythonUrlencode([['name', 'é ü/?&=*']])).toBe('name=%C3%A9+%C3%BC%2F%3F%26%3D%2A');
  });
});

describe('sorting', () => {
  const sortedBy = (key: 'name' | 'size' | 'status', dir: 'asc' | 'desc') => {
    const list = expectedDefaultList(t, USER);
    return [...list].sort((a, b) => {
      const x = a[key];
      const y = b[key];
      let c = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      if (dir === 'desc') c = -c;
      if (c !== 0) return c;
      // ties: created_at then id, in the same direction
      const d = a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);
      return dir === 'desc' ? -d : d;
    });
  };

  it.each([
    ['sort=name:asc', 'name', 'asc'],
    ['sort=name', 'name', 'desc'],
    ['sort_key=size&sort_dir=asc', 'size', 'asc'],
    ['sort_key=status&sort_dir=desc', 'status', 'desc'],
  ] as const)('%s, paged', async (query, key, dir) => {
    const all = await walk('user', `/v2/images?${query}&limit=9`);
    expect(all).toEqual(sortedBy(key, dir).map((i) => i.id));
  });

  it.each([
    [
      'sort=bogus:asc',
      'Invalid sort key: bogus. It must be one of the following: name, status, container_format, disk_format, size, id, created_at, updated_at.',
    ],
    [
      'sort_key=owner',
      'Invalid sort key: owner. It must be one of the following: name, status, container_format, disk_format, size, id, created_at, updated_at.',
    ],
    ['sort_dir=bogus', 'Invalid sort direction: bogus'],
    ['sort=name:up', 'Invalid sort direction: up'],
    ['sort=name&sort_key=id', 'Old and new sorting syntax cannot be combined'],
    [
      'sort_key=name&sort_key=id&sort_dir=asc&sort_dir=desc&sort_dir=asc',
      'Number of sort dirs does not match the number of sort keys',
    ],
  ])('%s → 400', async (query, message) => {
    const res = await as(t, 'user').get(`/v2/images?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(jsonError('400 Bad Request', message));
  });
});

describe('filters', () => {
  const listed = async (query: string, who: 'user' | 'admin' = 'user') =>
    (await as(t, who).get(`/v2/images?limit=1000&${query}`)).body.images as { id: string }[];
  const base = () => expectedDefaultList(t, USER);
  const expectIds = async (query: string, predicate: (i: ReturnType<typeof base>[number]) => boolean) => {
    const expected = base()
      .filter(predicate)
      .map((i) => i.id);
    expect(expected.length).toBeGreaterThan(0);
    expect((await listed(query)).map((i) => i.id)).toEqual(expected);
  };

  it('name, owner, status, formats, protected (exact)', async () => {
    await expectIds('name=cirros-0.6.2-x86_64', (i) => i.name === 'cirros-0.6.2-x86_64');
    await expectIds(`owner=${OTHER}`, (i) => i.owner === OTHER);
    await expectIds('status=queued', (i) => i.status === 'queued');
    await expectIds('disk_format=qcow2', (i) => i.disk_format === 'qcow2');
    await expectIds('container_format=bare', (i) => i.container_format === 'bare');
    await expectIds('protected=true', (i) => i.protected);
    await expectIds('protected=false', (i) => !i.protected);
  });

  it('in: lists, plain and quoted', async () => {
    await expectIds(
      'status=in:queued,deactivated',
      (i) => i.status === 'queued' || i.status === 'deactivated',
    );
    await expectIds(
      'disk_format=in:"raw","vmdk"',
      (i) => i.disk_format === 'raw' || i.disk_format === 'vmdk',
    );
    expect(await listed('status=bogus')).toEqual([]);
  });

  it('tags: every repeated tag must match', async () => {
    await expectIds('tag=lts', (i) => i.tags.includes('lts'));
    await expectIds('tag=lts&tag=gpu', (i) => i.tags.includes('lts') && i.tags.includes('gpu'));
  });

  it('size_min and size_max (images without data never match)', async () => {
    const mb = 1024 * 1024;
    await expectIds(`size_min=${5000 * mb}`, (i) => i.size !== null && i.size >= 5000 * mb);
    await expectIds(`size_max=${5000 * mb}`, (i) => i.size !== null && i.size <= 5000 * mb);
    await expectIds(
      `size_min=${1000 * mb}&size_max=${8000 * mb}`,
      (i) => i.size !== null && i.size >= 1000 * mb && i.size <= 8000 * mb,
    );
  });

  it('created_at and updated_at with operators', async () => {
    const pivot = '2024-01-01T00:00:00Z';
    await expectIds(`created_at=gt:${pivot}`, (i) => i.created_at > pivot);
    await expectIds(`created_at=lte:2024-01-01`, (i) => i.created_at <= pivot);
    await expectIds(
      `updated_at=gte:2023-06-01T00:00:00%2B00:00`,
      (i) => i.updated_at >= '2023-06-01T00:00:00Z',
    );
    const one = base()[3]!;
    await expectIds(`created_at=${one.created_at}`, (i) => i.created_at === one.created_at);
    await expectIds(`created_at=eq:${one.created_at}`, (i) => i.created_at === one.created_at);
    await expectIds(`created_at=neq:${one.created_at}`, (i) => i.created_at !== one.created_at);
  });

  it('custom properties filter by name; an unknown filter just matches nothing', async () => {
    await expectIds('os_distro=debian', (i) => i.properties.os_distro === 'debian');
    expect(await listed('no_such_property=x')).toEqual([]);
  });

  it('os_hidden: hidden images only when asked for', async () => {
    const res = await listed('os_hidden=true', 'admin');
    expect(res.map((i) => i.id)).toContain(HIDDEN_OF_OTHER);
    // hidden community images of other projects still need visibility=community
    expect(res.length).toBe(
      glanceData(t).images.filter((i) => i.os_hidden && (i.visibility !== 'community' || i.owner === ADMIN))
        .length,
    );
    expect((await listed('', 'admin')).map((i) => i.id)).not.toContain(HIDDEN_OF_OTHER);
    expect((await listed('os_hidden=TRUE', 'admin')).map((i) => i.id)).toContain(HIDDEN_OF_OTHER);
  });

  it('an admin lists community images of other projects only when asked for, as real Glance does', async () => {
    const others = glanceData(t).images.filter(
      (i) => i.visibility === 'community' && i.owner !== ADMIN && !i.os_hidden,
    );
    expect(others.length).toBeGreaterThan(0);
    const plain = (await listed('', 'admin')).map((i) => i.id);
    const all = (await listed('visibility=all', 'admin')).map((i) => i.id);
    for (const c of others) {
      expect(plain).not.toContain(c.id);
      expect(all).toContain(c.id);
    }
  });

  it('visibility: community of others only when asked for; all; private', async () => {
    const { images } = glanceData(t);
    const community = images.filter((i) => i.visibility === 'community' && !i.os_hidden);
    expect(community.some((i) => i.owner !== USER)).toBe(true);
    expect((await listed('visibility=community')).map((i) => i.id).sort()).toEqual(
      community.map((i) => i.id).sort(),
    );
    expect((await listed('')).some((i) => community.some((c) => c.id === i.id && c.owner !== USER))).toBe(
      false,
    );
    const priv = await listed('visibility=private');
    expect(priv.length).toBeGreaterThan(0);
    for (const i of priv) expect(images.find((x) => x.id === i.id)!.owner).toBe(USER);
    const all = await listed('visibility=all');
    expect(all.length).toBe(base().length + community.filter((c) => c.owner !== USER).length);
  });

  it('member_status: shared images by membership status', async () => {
    const { images, members } = glanceData(t);
    const sharedWith = (status: string) =>
      images
        .filter((i) => i.visibility === 'shared' && !i.os_hidden && i.owner !== USER)
        .filter((i) =>
          members.some(
            (m) => m.image_id === i.id && m.member_id === USER && (status === 'all' || m.status === status),
          ),
        )
        .map((i) => i.id)
        .sort();
    for (const status of ['pending', 'rejected', 'all']) {
      const got = (await listed(`visibility=shared&member_status=${status}`))
        .map((i) => i.id)
        .filter((id) => images.find((x) => x.id === id)!.owner !== USER)
        .sort();
      expect(got).toEqual(sharedWith(status));
      expect(got.length).toBeGreaterThan(0);
    }
    expect((await listed('')).map((i) => i.id)).toContain(SHARED_OF_OTHER);
  });

  it.each([
    ['visibility=bogus', 'Invalid visibility value: bogus'],
    ['os_hidden=bogus', "Invalid value 'bogus' for 'os_hidden' filter. Valid values are 'true' or 'false'."],
    ['protected=bogus', "Invalid value 'bogus' for 'protected' filter. Valid values are 'true' or 'false'."],
    ['protected=TRUE', "Invalid value 'TRUE' for 'protected' filter. Valid values are 'true' or 'false'."],
    ['os_hidden=YES', "Invalid value 'yes' for 'os_hidden' filter. Valid values are 'true' or 'false'."],
    ['os_hidden=1', "Invalid value '1' for 'os_hidden' filter. Valid values are 'true' or 'false'."],
    ['member_status=bogus', 'Invalid status: bogus'],
    ['size_min=abc', 'Unable to filter on a range with a non-numeric value.'],
    ['size_max=1e3', 'Unable to filter on a range with a non-numeric value.'],
    ['created_at=bogus:2016', 'Unable to filter on a unknown operator.'],
    ['created_at=gt:notadate', 'Bad "created_at" query filter format. Use ISO 8601 DateTime notation.'],
    ['updated_at=2016-13-01', 'Bad "updated_at" query filter format. Use ISO 8601 DateTime notation.'],
    ['changes-since=2016-01-01', 'The "changes-since" filter is no longer available on v2.'],
  ])('%s → 400', async (query, message) => {
    const res = await as(t, 'user').get(`/v2/images?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(jsonError('400 Bad Request', message));
  });
});
