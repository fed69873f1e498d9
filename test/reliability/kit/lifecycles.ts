import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Write sequences the crash test runs against each provider: every step is
 * a real write through the server, and knows how to tell from the store
 * files alone whether it took effect ('after'), did not ('before'), or was
 * half applied ('torn', which must never happen).
 */
export type Seen = 'before' | 'after' | 'torn';

export interface StoreFiles {
  dir: string;
  /** A section as a restart would load it: `<section>.json` with its log applied (loading is the first check). */
  section(name: string): Record<string, Record<string, unknown>[]>;
}

export interface Step {
  label: string;
  request(): { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer };
  /** Reads what the answer tells (the new id), once acknowledged. */
  acknowledged?(body: string): void;
  seen(files: StoreFiles): Seen;
}

export interface Lifecycle {
  provider: string;
  /** The steps for one object, run in order, each awaited before the next. */
  steps(key: string): Step[];
  /** Requests that remove what `steps` left in the store (a soak must not grow the data it reads). */
  cleanup?(key: string): ReturnType<Step['request']>[];
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** CloudMC has no write API: the admin API arranges its images, three in one all-or-nothing insert. */
const COX_TEST_AREA_STACK = '0b0a37bf-936f-4f32-9853-ff1aaecd7132';
const cloudmcFamilies = (key: string) => ['a', 'b', 'c'].map((s) => `crash-${key}-${s}`);
const cloudmcDelete = (family: string) => ({
  method: 'DELETE',
  path: `/__admin/store/cloudmc/images/cox/${COX_TEST_AREA_STACK}/${family}/v1`,
});
const cloudmc: Lifecycle = {
  provider: 'cloudmc',
  cleanup: (key) => cloudmcFamilies(key).slice(1).map(cloudmcDelete),
  steps(key) {
    const families = cloudmcFamilies(key);
    const present = (files: StoreFiles) => {
      const images = files.section('cloudmc').images!;
      return families.map((f) => images.some((i) => i.family === f && i.serviceCode === 'cox'));
    };
    return [
      {
        label: 'admin bulk insert of 3 images',
        request: () => ({
          method: 'POST',
          path: '/__admin/store/cloudmc/images',
          headers: JSON_TYPE,
          body: JSON.stringify(
            families.map((family) => ({ serviceCode: 'cox', environment: 'test-area', family, tag: 'v1' })),
          ),
        }),
        seen(files) {
          const n = present(files).filter(Boolean).length;
          return n === 3 ? 'after' : n === 0 ? 'before' : 'torn';
        },
      },
      {
        label: 'admin delete of one of them',
        request: () => cloudmcDelete(families[0]!),
        seen(files) {
          const [a, b, c] = present(files);
          if (!b || !c) return 'torn';
          return a ? 'before' : 'after';
        },
      },
    ];
  },
};

const ALLIANCE_HEADERS = { ...JSON_TYPE, 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': 'crash-environment' };
const alliance: Lifecycle = {
  provider: 'alliance',
  steps(key) {
    let id = '';
    const name = `crash-${key}`;
    const images = (files: StoreFiles) => files.section('alliance').images!;
    const byName = (files: StoreFiles) => images(files).find((i) => i.name === name || i.id === id);
    return [
      {
        label: 'create',
        request: () => ({
          method: 'POST',
          path: '/images',
          headers: ALLIANCE_HEADERS,
          body: JSON.stringify({
            image: { name, disk_format: 'qcow2', container_format: 'bare', min_ram: 1, min_disk: 1 },
          }),
        }),
        acknowledged: (body) => void (id = (JSON.parse(body) as { id: string }).id),
        seen(files) {
          const image = byName(files);
          if (!image) return 'before';
          const whole = image.disk_format === 'qcow2' && image.min_ram === 1 && image.min_disk === 1;
          return whole ? 'after' : 'torn';
        },
      },
      {
        label: 'update of three fields',
        request: () => ({
          method: 'PATCH',
          path: `/images/${id}`,
          headers: ALLIANCE_HEADERS,
          body: JSON.stringify({ image: { name: `${name}-2`, min_ram: 2, min_disk: 2 } }),
        }),
        seen(files) {
          const image = images(files).find((i) => i.id === id);
          if (!image) return 'torn';
          const fields = [image.name === `${name}-2`, image.min_ram === 2, image.min_disk === 2];
          return fields.every(Boolean) ? 'after' : fields.some(Boolean) ? 'torn' : 'before';
        },
      },
      {
        label: 'delete',
        request: () => ({ method: 'DELETE', path: `/images/${id}`, headers: ALLIANCE_HEADERS }),
        seen: (files) => (images(files).some((i) => i.id === id) ? 'before' : 'after'),
      },
    ];
  },
};

const GLANCE_HEADERS = { 'X-Auth-Token': 'crash-test-admin' };
const glance: Lifecycle = {
  provider: 'glance',
  steps(key) {
    let id = '';
    const name = `crash-${key}`;
    const bytes = Buffer.alloc(64 * 1024, key);
    const md5 = createHash('md5').update(bytes).digest('hex');
    const images = (files: StoreFiles) => files.section('glance').images!;
    const mine = (files: StoreFiles) => images(files).find((i) => i.id === id);
    return [
      {
        label: 'create',
        request: () => ({
          method: 'POST',
          path: '/v2/images',
          headers: { ...GLANCE_HEADERS, ...JSON_TYPE },
          body: JSON.stringify({ name, disk_format: 'raw', container_format: 'bare', min_ram: 1 }),
        }),
        acknowledged: (body) => void (id = (JSON.parse(body) as { id: string }).id),
        seen(files) {
          const image = images(files).find((i) => i.name === name);
          if (!image) return 'before';
          return image.disk_format === 'raw' && image.min_ram === 1 ? 'after' : 'torn';
        },
      },
      {
        label: 'JSON Patch of two fields',
        request: () => ({
          method: 'PATCH',
          path: `/v2/images/${id}`,
          headers: { ...GLANCE_HEADERS, 'Content-Type': 'application/openstack-images-v2.1-json-patch' },
          body: JSON.stringify([
            { op: 'replace', path: '/name', value: `${name}-2` },
            { op: 'replace', path: '/min_ram', value: 2 },
          ]),
        }),
        seen(files) {
          const image = mine(files);
          if (!image) return 'torn';
          const fields = [image.name === `${name}-2`, image.min_ram === 2];
          return fields.every(Boolean) ? 'after' : fields.some(Boolean) ? 'torn' : 'before';
        },
      },
      {
        label: 'upload of 64 KiB',
        request: () => ({
          method: 'PUT',
          path: `/v2/images/${id}/file`,
          headers: { ...GLANCE_HEADERS, 'Content-Type': 'application/octet-stream' },
          body: bytes,
        }),
        seen(files) {
          const image = mine(files);
          if (!image) return 'torn';
          if (image.status === 'queued' && image.size === null) return 'before';
          const blob = path.join(files.dir, 'blobs', 'glance', id);
          const whole =
            image.status === 'active' &&
            image.size === bytes.length &&
            image.checksum === md5 &&
            existsSync(blob) &&
            statSync(blob).size === bytes.length &&
            createHash('md5').update(readFileSync(blob)).digest('hex') === md5;
          return whole ? 'after' : 'torn';
        },
      },
      {
        label: 'delete',
        request: () => ({ method: 'DELETE', path: `/v2/images/${id}`, headers: GLANCE_HEADERS }),
        seen: (files) => (mine(files) ? 'before' : 'after'),
      },
    ];
  },
};

export const lifecycles: Lifecycle[] = [cloudmc, alliance, glance];
