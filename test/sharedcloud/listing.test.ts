import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

const DEMO = { Authorization: 'Token 6507c5b574a4142649e869c02c4eed085353fa75' };
const ALICE = { Authorization: 'Token 7cbf636b38c1122e2f98dfb50360bbc81ae1f8a7' };
const BOB = { Authorization: 'Token 353b335762922cfff9fa3f2b62789107500abf44' };
const DEMO_GPU_RIG = '9cb552d9-9db3-414b-bbce-ed4dceeeb841';
const ALICE_WORKSTATION = '08776df1-277a-4d80-a075-2dda548c80ec';
const TIMESTAMP = /^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$/;
const FIELDS = [
  'uuid',
  'current_server_time',
  'num_installations',
  'registry_path',
  'updated_at',
  'created_at',
  'name',
  'description',
  'requires_gpu',
  'runtime',
  'tag',
];

type Image = Record<string, unknown> & {
  uuid: string;
  created_at: string;
  updated_at: string;
  current_server_time: string;
  name: string;
  runtime: string;
  tag: string;
};
const parse = (t: string) => {
  const [d, m, y, hh, mm, ss] = t.split(/[- :]/).map(Number);
  return Date.UTC(y!, m! - 1, d, hh, mm, ss);
};

let app: Awaited<ReturnType<typeof testApp>>['app'];
let ctx: Awaited<ReturnType<typeof testApp>>['ctx'];
beforeEach(async () => {
  ({ app, ctx } = await testApp());
});

describe('the image list', () => {
  it('is a bare array in the documented field order, in creation order, one server time per response', async () => {
    ctx.clock.freeze(new Date('2024-02-29T23:59:58.999Z'));
    const res = await request(app).get('/api/v1/images/').set(DEMO);
    const images = res.body as Image[];
    expect(Array.isArray(images)).toBe(true);
    expect(images.length).toBeGreaterThan(8);
    for (const image of images) {
      expect(Object.keys(image)).toEqual(FIELDS);
      expect(image.created_at).toMatch(TIMESTAMP);
      expect(image.updated_at).toMatch(TIMESTAMP);
      expect(image.current_server_time).toBe('29-02-2024 23:59:58');
      expect(parse(image.updated_at)).toBeGreaterThanOrEqual(parse(image.created_at));
      expect(image.registry_path).toBe(`sharedcloud/${image.name}-${image.runtime}:${image.tag}`);
    }
    const created = images.map((i) => parse(i.created_at));
    expect(created).toEqual([...created].sort((a, b) => a - b));
    expect(res.text).toBe(JSON.stringify(images));
  });

  it('is a realistic catalogue: several runtimes, GPU and CPU images, installation counts', async () => {
    const images = (await request(app).get('/api/v1/images/').set(DEMO)).body as Image[];
    expect(new Set(images.map((i) => i.runtime)).size).toBeGreaterThanOrEqual(3);
    expect(images.some((i) => i.requires_gpu)).toBe(true);
    expect(images.some((i) => !i.requires_gpu)).toBe(true);
    expect(new Set(images.map((i) => i.num_installations)).size).toBeGreaterThan(3);
    expect(new Set(images.map((i) => i.uuid)).size).toBe(images.length);
  });

  it('is the same for every user, and the server time follows the clock', async () => {
    ctx.clock.freeze(new Date('2019-01-02T03:04:05Z'));
    const a = await request(app).get('/api/v1/images/').set(DEMO);
    ctx.clock.advance(61_000);
    const b = await request(app).get('/api/v1/images/').set(BOB);
    expect(a.body[0].current_server_time).toBe('02-01-2019 03:04:05');
    expect(b.body[0].current_server_time).toBe('02-01-2019 03:05:06');
    const strip = (l: Image[]) => l.map(({ current_server_time: _, ...rest }) => rest);
    expect(strip(b.body)).toEqual(strip(a.body));
  });

  it('is the same for the same seed and differs for another', async () => {
    const again = await testApp();
    const other = await testApp({ seed: 7 });
    ctx.clock.freeze(new Date('2020-01-01T00:00:00Z'));
    again.ctx.clock.freeze(new Date('2020-01-01T00:00:00Z'));
    other.ctx.clock.freeze(new Date('2020-01-01T00:00:00Z'));
    const a = await request(app).get('/api/v1/images/').set(DEMO);
    const b = await request(again.app).get('/api/v1/images/').set(DEMO);
    const c = await request(other.app).get('/api/v1/images/').set(DEMO);
    expect(b.text).toBe(a.text);
    expect(c.text).not.toBe(a.text);
  });
});

describe("?instance=<uuid>: the images downloaded on one of the caller's instances", () => {
  const names = (res: request.Response) => (res.body as Image[]).map((i) => i.registry_path);

  it("lists what is installed on the caller's instance, in creation order", async () => {
    const res = await request(app).get(`/api/v1/images/?instance=${DEMO_GPU_RIG}`).set(DEMO);
    expect(res.status).toBe(200);
    expect(names(res)).toEqual([
      'sharedcloud/standard-node8:latest',
      'sharedcloud/tensorflow-gpu-python27:latest',
      'sharedcloud/tensorflow-gpu-python36:latest',
    ]);
    const alice = await request(app).get(`/api/v1/images?instance=${ALICE_WORKSTATION}`).set(ALICE);
    expect(names(alice)).toEqual([
      'sharedcloud/standard-node8:latest',
      'sharedcloud/web-crawling-python27:latest',
    ]);
  });

  it('accepts the uuid in upper case or without hyphens', async () => {
    for (const id of [DEMO_GPU_RIG.toUpperCase(), DEMO_GPU_RIG.replace(/-/g, '')]) {
      const res = await request(app).get(`/api/v1/images/?instance=${id}`).set(DEMO);
      expect(res.body).toHaveLength(3);
    }
  });

  it("someone else's, unknown or malformed instance → an empty array", async () => {
    for (const [who, id] of [
      [DEMO, ALICE_WORKSTATION],
      [BOB, DEMO_GPU_RIG],
      [DEMO, '00000000-0000-4000-8000-000000000000'],
      [DEMO, 'not-a-uuid'],
    ] as const) {
      const res = await request(app).get(`/api/v1/images/?instance=${id}`).set(who);
      expect(res.status).toBe(200);
      expect(res.text).toBe('[]');
    }
  });

  it('an empty parameter does not filter; a repeated one uses its last value', async () => {
    const all = await request(app).get('/api/v1/images/').set(DEMO);
    expect((await request(app).get('/api/v1/images/?instance=').set(DEMO)).body).toHaveLength(
      all.body.length,
    );
    const last = await request(app).get(`/api/v1/images/?instance=nope&instance=${DEMO_GPU_RIG}`).set(DEMO);
    expect(last.body).toHaveLength(3);
  });

  it('follows images and instances arranged through the admin API', async () => {
    const image = await request(app)
      .post('/__admin/store/sharedcloud/images')
      .send({ name: 'opencv', runtime: 'python36', requires_gpu: true, description: 'OpenCV' });
    expect(image.status).toBe(201);
    const uuid = image.body.records[0].uuid as string;
    expect(image.body.records[0].registry_path).toBe('sharedcloud/opencv-python36:latest');
    const inst = await request(app)
      .post('/__admin/store/sharedcloud/instances')
      .send({ owner: 'bob', name: 'bob-box', images: [uuid] });
    expect(inst.status).toBe(201);
    const res = await request(app).get(`/api/v1/images/?instance=${inst.body.records[0].uuid}`).set(BOB);
    expect(names(res)).toEqual(['sharedcloud/opencv-python36:latest']);
    const one = await request(app).get(`/api/v1/images/${uuid}/`).set(BOB);
    expect(one.body.description).toBe('OpenCV');
  });
});

describe('answers kept per second and store version', () => {
  it('a repeated list or get within the same second is the same bytes; a new second, an insert or a delete shows at once', async () => {
    ctx.clock.freeze(new Date('2021-06-01T10:00:00Z'));
    const first = await request(app).get('/api/v1/images/').set(DEMO);
    const again = await request(app).get('/api/v1/images/').set(ALICE);
    expect(again.text).toBe(first.text);
    const uuid = (first.body as Image[])[0]!.uuid;
    const one = await request(app).get(`/api/v1/images/${uuid}/`).set(DEMO);
    expect(one.body.current_server_time).toBe('01-06-2021 10:00:00');

    ctx.clock.advance(1000);
    const later = await request(app).get(`/api/v1/images/${uuid}/`).set(DEMO);
    expect(later.body.current_server_time).toBe('01-06-2021 10:00:01');
    const laterList = await request(app).get('/api/v1/images/').set(DEMO);
    expect((laterList.body as Image[]).every((i) => i.current_server_time === '01-06-2021 10:00:01')).toBe(
      true,
    );

    const inserted = await request(app)
      .post('/__admin/store/sharedcloud/images')
      .send({ name: 'fresh-image', runtime: 'python36' });
    expect(inserted.status).toBe(201);
    const withNew = await request(app).get('/api/v1/images/').set(DEMO);
    expect((withNew.body as Image[]).map((i) => i.name)).toContain('fresh-image');
    const fresh = (withNew.body as Image[]).find((i) => i.name === 'fresh-image')!;
    expect((await request(app).get(`/api/v1/images/${fresh.uuid}/`).set(DEMO)).status).toBe(200);

    await request(app).delete(`/__admin/store/sharedcloud/images/${uuid}`).expect(204);
    expect((await request(app).get(`/api/v1/images/${uuid}/`).set(DEMO)).status).toBe(404);
    const without = await request(app).get('/api/v1/images/').set(DEMO);
    expect((without.body as Image[]).map((i) => i.uuid)).not.toContain(uuid);
  });
});
