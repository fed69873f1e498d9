import type { Validator } from '../../../src/validation/validator.js';
import { providers } from '../../../src/providers/index.js';
import { type RawResponse, send } from './raw-http.js';

/**
 * What the reliability tests need to know about each provider, kept to a
 * table so a provider is covered as soon as it is registered in
 * src/providers/index.ts (and skipped cleanly until then).
 */
export interface Route {
  path: string;
  methods: string[];
  /** A valid-looking body for the writing methods. */
  body?: string;
  contentType?: string;
}

export interface Credential {
  label: string;
  headers: Record<string, string>;
}

export interface Profile {
  name: string;
  /** Every documented route, with ids that exist in the seeded store where the provider has fixed ids. */
  routes: Route[];
  /** Headers every request of this provider carries apart from credentials (Alliance's routing headers). */
  baseHeaders: Record<string, string>;
  /** A fixture credential with full rights in strict mode (null: the provider's fixtures are not known here). */
  good: Credential | null;
  /** Credentials that must be refused in strict mode. */
  refused: Credential[];
  /** Header names a credential travels in (random values are tried there). */
  credentialHeaders: string[];
  /** null when the answer is an error in this provider's own format, else what is wrong. */
  errorProblem(res: RawResponse, validator: Validator, path: string): string | null;
  /** A request that must succeed while the server is healthy. */
  probe: { path: string; headers: Record<string, string>; status: number };
  /** Values for `{name}` placeholders in route paths, read from the running server. */
  discover?(base: string): Promise<Record<string, string>>;
}

/** The routes with their placeholders filled in. */
export async function routesOf(profile: Profile, base: string): Promise<Route[]> {
  const values = (await profile.discover?.(base)) ?? {};
  return profile.routes.map((r) => ({
    ...r,
    path: r.path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? name),
  }));
}

const contentType = (res: RawResponse) => String(res.headers['content-type'] ?? '');

function json(res: RawResponse): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return undefined;
  }
}

const schemaProblem = (validator: Validator, ids: string[], body: unknown) =>
  ids.some((id) => validator.check(id, body) === null)
    ? null
    : `body is none of ${ids.join(', ')}: ${JSON.stringify(body)}`;

const cloudmc: Profile = {
  name: 'cloudmc',
  routes: [
    { path: '/api/v1/services/stackpath/test-area/images', methods: ['GET'] },
    { path: '/api/v1/services/stackpath/test-area/images?imageType=custom', methods: ['GET'] },
    { path: '/api/v1/services/cox/staging/images?includeOnlySystemImages=true', methods: ['GET'] },
    { path: '/api/v2/services/edge-services/production/images', methods: ['GET'] },
    {
      path: '/api/v1/services/stackpath/test-area/images/a8050b2b-39eb-4929-bce5-1af42055903e/centos7/v20201110',
      methods: ['GET'],
    },
  ],
  baseHeaders: {},
  good: { label: 'mc-demo-key (every environment)', headers: { 'MC-Api-Key': 'mc-demo-key' } },
  refused: [
    { label: 'no key', headers: {} },
    { label: 'empty key', headers: { 'MC-Api-Key': '' } },
    { label: 'unknown key', headers: { 'MC-Api-Key': 'not-a-key' } },
  ],
  credentialHeaders: ['MC-Api-Key'],
  errorProblem(res, validator) {
    if (contentType(res) !== 'application/json') return `content type ${contentType(res)}`;
    return schemaProblem(validator, ['cloudmc/error'], json(res));
  },
  probe: {
    path: '/api/v1/services/cox/test-area/images',
    headers: { 'MC-Api-Key': 'mc-demo-key' },
    status: 200,
  },
};

const DJANGO_PAGES = /^<h1>(?:Not Found<\/h1><p>.*<\/p>|Bad Request \(400\)<\/h1>)$/s;

const sharedcloud: Profile = {
  name: 'sharedcloud',
  routes: [
    { path: '/api/v1/images/', methods: ['GET'] },
    { path: '/api/v1/images', methods: ['GET'] },
    { path: '/api/v1/images/?instance=26118515-35c9-4467-a57f-50d562829a94', methods: ['GET'] },
    { path: '/api/v1/images/24b310f8-1405-4928-914f-d5c91272f88a/', methods: ['GET'] },
    {
      path: '/api/v1/api-token-auth/',
      methods: ['POST'],
      body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
      contentType: 'application/json',
    },
    {
      path: '/api/v1/api-token-auth/',
      methods: ['POST'],
      body: 'username=alice&password=alice-password',
      contentType: 'application/x-www-form-urlencoded',
    },
  ],
  baseHeaders: {},
  good: { label: 'demo token', headers: { Authorization: 'Token 6507c5b574a4142649e869c02c4eed085353fa75' } },
  refused: [
    { label: 'no header', headers: {} },
    { label: 'other scheme', headers: { Authorization: 'Bearer 6507c5b574a4142649e869c02c4eed085353fa75' } },
    { label: 'scheme only', headers: { Authorization: 'Token' } },
    { label: 'spaces', headers: { Authorization: 'Token a b' } },
    { label: 'unknown token', headers: { Authorization: 'Token 0000000000000000000000000000000000000000' } },
    { label: 'inactive user', headers: { Authorization: 'Token dd7e0f73771918f26ab6f06f2c276d1e371c6293' } },
  ],
  credentialHeaders: ['Authorization'],
  errorProblem(res, validator) {
    const type = contentType(res);
    if (type === 'text/html')
      return DJANGO_PAGES.test(res.text) ? null : `not a Django error page: ${res.text}`;
    if (type !== 'application/json') return `content type ${type}`;
    return schemaProblem(validator, ['sharedcloud/detail', 'sharedcloud/field-errors'], json(res));
  },
  probe: {
    path: '/api/v1/images/',
    headers: { Authorization: 'Token 6507c5b574a4142649e869c02c4eed085353fa75' },
    status: 200,
  },
};

/** Replaced by the id of a seeded image (see `discover`): the seed generates Glance's ids. */
const GLANCE_IMAGE = '{image}';
const glanceReason = /^(\d{3}) ([A-Za-z -]+)$/;

/** `{"error":{"code":<status>,"title":...,"message":...}}`: Alliance's envelope, and Keystone's. */
function envelopeProblem(res: RawResponse): string | null {
  const body = json(res) as { error?: Record<string, unknown> } | undefined;
  const e = body?.error;
  if (!e || Object.keys(body).join() !== 'error' || e.code !== res.status)
    return `not an error envelope: ${res.text}`;
  if (typeof e.title !== 'string' || typeof e.message !== 'string')
    return `not an error envelope: ${res.text}`;
  return null;
}

const glance: Profile = {
  name: 'glance',
  routes: [
    { path: '/', methods: ['GET'] },
    { path: '/versions', methods: ['GET'] },
    { path: '/v2/images?limit=2&sort=name:asc', methods: ['GET'] },
    {
      path: '/v2/images',
      methods: ['GET', 'POST'],
      body: JSON.stringify({ name: 'fuzz', disk_format: 'raw', container_format: 'bare' }),
      contentType: 'application/json',
    },
    {
      path: `/v2/images/${GLANCE_IMAGE}`,
      methods: ['GET', 'PATCH', 'DELETE'],
      body: JSON.stringify([{ op: 'replace', path: '/name', value: 'renamed' }]),
      contentType: 'application/openstack-images-v2.1-json-patch',
    },
    {
      path: `/v2/images/${GLANCE_IMAGE}/file`,
      methods: ['GET', 'PUT'],
      body: 'image bytes',
      contentType: 'application/octet-stream',
    },
    { path: `/v2/images/${GLANCE_IMAGE}/tags/fuzz`, methods: ['PUT', 'DELETE'] },
    {
      path: `/v2/images/${GLANCE_IMAGE}/members`,
      methods: ['GET', 'POST'],
      body: JSON.stringify({ member: 'other-project' }),
      contentType: 'application/json',
    },
    {
      path: `/v2/images/${GLANCE_IMAGE}/members/c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2`,
      methods: ['GET', 'PUT', 'DELETE'],
      body: JSON.stringify({ status: 'accepted' }),
      contentType: 'application/json',
    },
    { path: `/v2/images/${GLANCE_IMAGE}/actions/deactivate`, methods: ['POST'] },
    { path: `/v2/images/${GLANCE_IMAGE}/actions/reactivate`, methods: ['POST'] },
    { path: '/v2/schemas/image', methods: ['GET'] },
    { path: '/v2/schemas/members', methods: ['GET'] },
    {
      path: '/v3/auth/tokens',
      methods: ['POST'],
      body: JSON.stringify({
        auth: { identity: { methods: ['password'], password: { user: { name: 'x', password: 'y' } } } },
      }),
      contentType: 'application/json',
    },
  ],
  baseHeaders: {},
  good: { label: 'admin-token (fixtures/glance/tokens.json)', headers: { 'X-Auth-Token': 'admin-token' } },
  refused: [
    { label: 'no token', headers: {} },
    { label: 'unknown token', headers: { 'X-Auth-Token': 'not-a-token' } },
  ],
  credentialHeaders: ['X-Auth-Token'],
  errorProblem(res, _validator, path) {
    const type = contentType(res);
    // The Keystone shim answers as Keystone does (framework failures there still come from the Glance kit)
    if (path.toLowerCase().startsWith('/v3/') && type === 'application/json' && envelopeProblem(res) === null)
      return null;
    if (type === 'text/html; charset=UTF-8') {
      const title =
        /^<html>\n <head>\n {2}<title>(\d{3}) [^<]+<\/title>\n <\/head>\n <body>\n {2}<h1>\1 /.exec(res.text);
      return title?.[1] === String(res.status) ? null : `not a webob HTML error page: ${res.text}`;
    }
    if (type === 'text/plain; charset=UTF-8')
      return res.text.startsWith(`${res.status} `) ? null : `not a webob text error: ${res.text}`;
    if (type === 'application/json') {
      const body = json(res) as Record<string, unknown> | undefined;
      const keys = body && typeof body === 'object' ? Object.keys(body).join(',') : '';
      const code = glanceReason.exec(typeof body?.code === 'string' ? body.code : '');
      if (keys !== 'message,code,title' || code?.[1] !== String(res.status) || code[2] !== body?.title)
        return `not a webob JSON error: ${res.text}`;
      return null;
    }
    return `content type ${type}`;
  },
  probe: { path: '/versions', headers: {}, status: 200 },
  async discover(base): Promise<Record<string, string>> {
    const res = await send(base, {
      method: 'GET',
      path: '/v2/images?limit=1',
      headers: { 'X-Auth-Token': 'admin-token' },
    });
    const first = (JSON.parse(res.text) as { images: { id: string }[] }).images[0];
    return first ? { image: first.id } : {};
  },
};

/** The environment owning the seeded ccsr1 images (fixtures/alliance/images.json). */
const ALLIANCE_OWNER = '54915a05b0bb43dcbb218525c426b6a5';

const alliance: Profile = {
  name: 'alliance',
  routes: [
    {
      path: '/images',
      methods: ['GET', 'POST'],
      body: JSON.stringify({ image: { name: 'fuzz', disk_format: 'qcow2', container_format: 'bare' } }),
      contentType: 'application/json',
    },
    {
      path: '/images/1e29aea2-cd8b-4a76-b829-3ae8be5bc1ad',
      methods: ['GET', 'PATCH', 'PUT', 'DELETE'],
      body: JSON.stringify({ image: { name: 'fuzz-renamed', min_ram: 1 } }),
      contentType: 'application/json',
    },
    // a name several seeded images share (409 on update)
    { path: '/images/cirrosimage', methods: ['GET', 'PATCH', 'DELETE'] },
    {
      path: '/images/fuzz',
      methods: ['GET', 'PATCH', 'PUT', 'DELETE'],
      body: JSON.stringify({ image: { name: 'fuzz-renamed', min_ram: 1 } }),
      contentType: 'application/json',
    },
  ],
  baseHeaders: { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': ALLIANCE_OWNER },
  // Alliance has no credential of its own: the routing headers pick the tenant.
  good: { label: 'namespace and environment', headers: {} },
  refused: [],
  credentialHeaders: ['X-Target-Ns', 'X-Environment-Id'],
  errorProblem(res) {
    if (contentType(res) !== 'application/json') return `content type ${contentType(res)}`;
    return envelopeProblem(res);
  },
  probe: {
    path: '/images',
    headers: { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': ALLIANCE_OWNER },
    status: 200,
  },
};

const table: Profile[] = [cloudmc, sharedcloud, glance, alliance];

/** The profiles of the providers registered right now, in mount order. */
export const registered: Profile[] = providers
  .map((p) => table.find((t) => t.name === p.name))
  .filter((t): t is Profile => t !== undefined);

export const isRegistered = (name: string) => registered.some((p) => p.name === name);

/** Providers registered without a profile here: the tests name them instead of silently skipping. */
export const unprofiled = providers.filter((p) => !table.some((t) => t.name === p.name)).map((p) => p.name);

/** The mock's own answers outside every provider: the admin API and unclaimed paths. */
export function mockErrorProblem(res: RawResponse): string | null {
  if (contentType(res) !== 'application/json') return `content type ${contentType(res)}`;
  const body = json(res) as Record<string, unknown> | undefined;
  return body && typeof body.error === 'string' ? null : `not the mock's {"error": ...}: ${res.text}`;
}

/**
 * Which router answers a raw path: the admin API, else the first provider
 * (in mount order) with a mount path that is a case-insensitive segment
 * prefix of it, as Express matches `app.use` paths; 'none' for the rest.
 */
export function ownerOf(rawPath: string): string {
  const path = (rawPath.split('?')[0] ?? '').toLowerCase();
  const under = (mount: string) => mount === '/' || path === mount || path.startsWith(`${mount}/`);
  if (under('/__admin')) return 'admin';
  for (const provider of providers) {
    if (provider.mountPaths.some((m) => under(m.toLowerCase()))) return provider.name;
  }
  return 'none';
}

export const profileOf = (name: string) => registered.find((p) => p.name === name);
