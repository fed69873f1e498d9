/**
 * How the benchmark drives each provider: where its list and get-by-id are,
 * which credential to send, how to grow its store for the scaling runs and
 * how to create one record durably. Everything is found at run time through
 * the mock's admin API, so a provider that is not registered (or not
 * finished) is skipped with the reason instead of failing the run.
 */
import { fetchOk } from './processes.js';

export interface Endpoint {
  path: string;
  headers: Record<string, string>;
}

type StoredRecord = Record<string, unknown>;
export type SectionData = Record<string, StoredRecord[]>;

export interface ProviderTarget {
  name: string;
  discover(mockUrl: string): Promise<{ list: Endpoint; get: Endpoint; getId: string }>;
  /** Adds `count` records to a section read from its store file, cloned from the record behind `getId`, visible in the list. */
  grow?(data: SectionData, count: number, getId: string): void;
  /** A list page far from the first: its marker is a grown record near the end of the default order. */
  deepPage?(list: Endpoint): Endpoint;
  /** A create through the provider's own API (or the admin API), unique per call. */
  create?(endpoints: { list: Endpoint }): {
    path: string;
    headers: Record<string, string>;
    body: () => string;
  };
}

async function records(mockUrl: string, provider: string, collection: string): Promise<StoredRecord[]> {
  const { text } = await fetchOk(`${mockUrl}/__admin/store/${provider}/${collection}`);
  return (JSON.parse(text) as { records: StoredRecord[] }).records;
}

/** The first record id a list answer shows (every provider's list shape). */
function firstListed(body: unknown, key: string): string {
  const items = Array.isArray(body)
    ? body
    : (Object.values(body as Record<string, unknown>).find(Array.isArray) as unknown[] | undefined);
  const first = items?.[0] as StoredRecord | undefined;
  if (!first || typeof first[key] !== 'string')
    throw new Error(`the list answer shows no record with '${key}'`);
  return first[key];
}

async function listAndGet(mockUrl: string, list: Endpoint, key: string, getPath: (id: string) => string) {
  const { text } = await fetchOk(`${mockUrl}${list.path}`, { headers: list.headers });
  const getId = firstListed(JSON.parse(text), key);
  const get = { path: getPath(getId), headers: list.headers };
  await fetchOk(`${mockUrl}${get.path}`, { headers: get.headers });
  return { list, get, getId };
}

let serial = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++serial}`;
/** Distinct, ordered timestamps for grown records, older than anything seeded. */
const grownDate = (i: number) => new Date(Date.UTC(2000, 0, 1) + i * 1000);
const grownUuid = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

const cloudmc: ProviderTarget = {
  name: 'cloudmc',
  async discover(mockUrl) {
    const key = (await records(mockUrl, 'cloudmc', 'apiKeys')).find((k) =>
      (k.bindings as StoredRecord[]).some((b) => b.serviceCode === '*' && b.environment === '*'),
    );
    if (!key) throw new Error('no API key bound to every environment');
    const base = '/api/v1/services/stackpath/production/images';
    const list = { path: base, headers: { 'MC-Api-Key': String(key.key) } };
    return listAndGet(mockUrl, list, 'id', (id) => `${base}/${id}`);
  },
  grow(data, count, getId) {
    const template = data.images!.find((i) => i.id === getId && i.serviceCode === 'stackpath')!;
    for (let i = 0; i < count; i++) {
      const family = `bench-${i}`;
      const micros = String(i % 1000).padStart(3, '0');
      data.images!.push({
        ...template,
        environment: 'production',
        deprecated: false,
        id: `${String(template.stackId)}/${family}/v1`,
        family,
        tag: 'v1',
        createdAt: grownDate(i).toISOString().replace(/Z$/, `${micros}Z`),
        reference: `${String(template.slug)}/${family}:v1`,
      });
    }
  },
  create: () => ({
    path: '/__admin/store/cloudmc/images',
    headers: {},
    body: () =>
      JSON.stringify({
        serviceCode: 'stackpath',
        environment: 'production',
        family: `c-${unique()}`,
        tag: 'v1',
      }),
  }),
};

const sharedcloud: ProviderTarget = {
  name: 'sharedcloud',
  async discover(mockUrl) {
    const user = (await records(mockUrl, 'sharedcloud', 'users')).find((u) => u.active === true);
    if (!user) throw new Error('no active user');
    const list = { path: '/api/v1/images/', headers: { Authorization: `Token ${String(user.token)}` } };
    return listAndGet(mockUrl, list, 'uuid', (id) => `/api/v1/images/${id}/`);
  },
};

const glance: ProviderTarget = {
  name: 'glance',
  async discover(mockUrl) {
    const token = (await records(mockUrl, 'glance', 'tokens'))[0];
    if (!token) throw new Error('no fixture token');
    const list = { path: '/v2/images', headers: { 'X-Auth-Token': String(token.token) } };
    return listAndGet(mockUrl, list, 'id', (id) => `/v2/images/${id}`);
  },
  grow(data, count, getId) {
    const template = data.images!.find((i) => i.id === getId)!;
    for (let i = 0; i < count; i++) {
      const at = grownDate(i)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      data.images!.push({
        ...template,
        id: grownUuid(i),
        name: `bench-${i}`,
        created_at: at,
        updated_at: at,
      });
    }
  },
  deepPage: (list) => ({ ...list, path: `${list.path}?marker=${grownUuid(50)}` }),
  create: ({ list }) => ({
    path: '/v2/images',
    headers: list.headers,
    body: () => JSON.stringify({ name: `c-${unique()}`, disk_format: 'qcow2', container_format: 'bare' }),
  }),
};

const alliance: ProviderTarget = {
  name: 'alliance',
  async discover(mockUrl) {
    const image = (await records(mockUrl, 'alliance', 'images'))[0];
    if (!image) throw new Error('no seeded image');
    const headers = { 'X-Target-Ns': String(image.namespace), 'X-Environment-Id': String(image.owner) };
    return listAndGet(mockUrl, { path: '/images', headers }, 'id', (id) => `/images/${id}`);
  },
};

/** Every provider the benchmark knows, in the order it measures them. */
export const providerTargets: ProviderTarget[] = [cloudmc, sharedcloud, glance, alliance];
