import fc from 'fast-check';
import type { Profile } from './profiles.js';
import type { RawRequest } from './raw-http.js';

/** Every method Node's parser accepts that a client might plausibly send. */
export const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'PURGE',
  'SEARCH',
];

/** Characters Node's client lets into a raw request path (0x21-0xff, no '?' or '#': those start the query). */
const pathChars = [..."abcXYZ019-._~!$&'()*+,;=:@/", '%', ...'\u00e9\u00ff\u0080\u00c3'];
const pathChar = fc.constantFrom(...pathChars);

/** Path pieces real attacks and broken clients produce. */
const HOSTILE_SEGMENTS = [
  '..',
  '%2e%2e',
  '..%2f..%2fetc%2fpasswd',
  '%2F',
  '%00',
  '%FF',
  '%C0%AF',
  '%E2%82',
  '%',
  '%zz',
  '__proto__',
  'constructor',
  'prototype',
  '<script>alert(1)<%2Fscript>',
  '%27%3B--',
  '\u00ff\u00fe',
  '.',
  '',
];

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: pathChar, minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constant('x'.repeat(3000)) },
);

/** A path near the profile's routes: as documented, cut short, extended, with a segment swapped or re-cased. */
export const pathNear = (routes: string[]) =>
  fc
    .record({
      route: fc.constantFrom(...routes.map((r) => r.split('?')[0]!)),
      edit: fc.constantFrom('as-is', 'append', 'replace', 'truncate', 'slash', 'double-slash', 'upper'),
      extra: fc.array(segment, { minLength: 1, maxLength: 3 }),
      at: fc.nat(),
    })
    .map(({ route, edit, extra, at }) => {
      const parts = route.split('/');
      switch (edit) {
        case 'append':
          return [...parts, ...extra].join('/');
        case 'replace': {
          const i = 1 + (at % Math.max(1, parts.length - 1));
          parts[i] = extra[0]!;
          return parts.join('/');
        }
        case 'truncate':
          return parts.slice(0, 1 + (at % parts.length)).join('/') || '/';
        case 'slash':
          return `${route}/`;
        case 'double-slash':
          return route.replace('/', '//');
        case 'upper':
          return route.toUpperCase();
        default:
          return route;
      }
    });

const QUERY_KEYS = [
  'limit',
  'marker',
  'sort',
  'sort_key',
  'sort_dir',
  'imageType',
  'includeOnlySystemImages',
  'instance',
  'visibility',
  'name',
  'status',
  'created_at',
  'size_min',
  'member_status',
  'os_hidden',
  'tag',
  '__proto__',
  'constructor[prototype][polluted]',
  'a[b][c]',
];
const queryValue = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abc019-:,.%"\'[]{}<>'), maxLength: 16 }),
  fc.constantFrom(
    '-1',
    '0',
    '1001',
    'true',
    'in:"a","b"',
    'gt:2020-01-01T00:00:00Z',
    'name:asc',
    '%FF',
    '%00',
    '',
  ),
);
const query = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

/** JSON texts that try to pollute prototypes or exhaust a parser. */
const HOSTILE_JSON = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '[{"op":"add","path":"/__proto__","value":{"polluted":"yes"}}]',
  '[{"op":"replace","path":"/constructor/prototype","value":"x"}]',
  '[{"op":"add","path":"/__proto__/polluted","value":"yes"}]',
  '{"image":{"__proto__":{"polluted":"yes"},"name":"p"}}',
  '{"username":{"__proto__":null},"password":[]}',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
  '{"a":1,"a":2}',
  '{"name":"\\ud800"}',
  '1e999999',
  'null',
  '"',
  '{',
];

/** JSON Patch documents, well- and ill-formed, aimed at prototypes and nested paths among others. */
const jsonPatch = fc
  .array(
    fc.record(
      {
        op: fc.constantFrom('add', 'replace', 'remove', 'move', 'copy', 'test', 'ADD', ''),
        path: fc.oneof(
          fc.constantFrom(
            '/name',
            '/min_ram',
            '/tags',
            '/tags/0',
            '/tags/-',
            '/__proto__',
            '/constructor/prototype',
          ),
          fc.constantFrom(
            '/__proto__/polluted',
            '/visibility',
            '/owner',
            '/status',
            '/os_glance_x',
            'name',
            '/',
          ),
          fc.string({ maxLength: 12 }).map((p) => `/${p}`),
        ),
        value: fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom('x', 1, -1, null, ['a'], { polluted: 'yes' }),
        ),
        from: fc.constantFrom('/name', '/__proto__'),
      },
      { requiredKeys: ['op'] },
    ),
    { maxLength: 4 },
  )
  .map((ops) => JSON.stringify(ops));

/** Form bodies as the Sharedcloud CLI and browsers send them, with odd and repeated fields. */
const formBody = fc
  .array(
    fc.tuple(
      fc.constantFrom('username', 'password', '__proto__', 'username[]', ''),
      fc.string({ unit: fc.constantFrom(...'abc-=&%+ü'), maxLength: 10 }),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

export const body = (route?: string) =>
  fc.oneof(
    { weight: 3, arbitrary: route === undefined ? fc.constant(undefined) : fc.constant(route) },
    { weight: 3, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 2, arbitrary: jsonPatch },
    { weight: 1, arbitrary: formBody },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_JSON) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=xyz',
  'application/openstack-images-v2.1-json-patch',
  'application/openstack-images-v2.0-json-patch',
  'application/octet-stream',
  'text/plain',
  '*/*',
  ';;;',
];

const ACCEPTS = ['*/*', 'application/json', 'text/html', 'text/plain', 'application/xml', 'garbage/;q=x'];

/** Header values Node lets through: printable ASCII and latin-1 bytes, no CR/LF. */
const headerValue = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_.:;,=/"\'\u00e9\u00ff'), maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'Token',
    'Token  ',
    'Bearer x',
    'null',
    'undefined',
    '__proto__',
    'x'.repeat(2000),
  ),
);

/** One random request aimed at a provider: mostly near its routes, with every part possibly wrong. */
export function requestFor(profile: Profile, valid: Record<string, string>[]) {
  return fc
    .record({
      route: fc.constantFrom(...profile.routes),
      methodPick: fc.oneof(fc.constant(null), fc.constantFrom(...METHODS)),
      keepPath: fc.boolean(),
      path: pathNear(profile.routes.map((r) => r.path)),
      query,
      keepQuery: fc.boolean(),
      credential: fc.oneof(
        // half the time a credential that works, so the fuzz reaches past authentication
        ...(valid.length ? [{ weight: 2, arbitrary: fc.constantFrom(...valid) }] : []),
        { weight: 1, arbitrary: fc.constantFrom(...profile.refused.map((c) => c.headers), {}) },
        {
          weight: 1,
          arbitrary: fc
            .record({ header: fc.constantFrom(...profile.credentialHeaders), value: headerValue })
            .map(({ header, value }): Record<string, string> => ({ [header]: value })),
        },
      ),
      dropBase: fc.boolean(),
      body: fc.option(body(undefined), { freq: 2 }),
      keepBody: fc.boolean(),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES)),
      accept: fc.option(fc.constantFrom(...ACCEPTS)),
      encoding: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'bogus'), { freq: 8 }),
    })
    .map((r): RawRequest => {
      const method = r.methodPick ?? r.route.methods[0]!;
      const path =
        (r.keepPath ? r.route.path.split('?')[0]! : r.path) +
        (r.keepQuery && r.route.path.includes('?') ? `?${r.route.path.split('?')[1]}` : r.query);
      const headers: Record<string, string> = {
        ...(r.dropBase ? {} : profile.baseHeaders),
        ...r.credential,
      };
      const payload = r.keepBody && r.route.body !== undefined ? r.route.body : (r.body ?? undefined);
      const type = r.keepBody && r.route.contentType ? r.route.contentType : r.contentType;
      if (type) headers['Content-Type'] = type;
      if (r.accept) headers.Accept = r.accept;
      if (r.encoding) headers['Content-Encoding'] = r.encoding;
      const out: RawRequest = { method, path, headers };
      if (payload !== undefined && method !== 'HEAD') out.body = payload;
      return out;
    });
}
