import type { Scenario, Step } from '../../drift/scenario.js';

const PATCH = 'application/openstack-images-v2.1-json-patch';
const JSON_ERRORS = { Accept: 'application/json' };
const UNKNOWN_ID = '6d3b7c0e-0000-4000-8000-0000000d71f7';
const OTHER_PROJECT = 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2';

interface Ids {
  a: string;
  b: string;
  c: string;
  d: string;
  /** Staged and imported with glance-direct. */
  e: string;
}

/** Read-only steps: versions, schemas, lists with every documented filter and their errors, auth. */
const list = (name: string, query: string, headers: Record<string, string> = {}): Step => ({
  name,
  method: 'GET',
  path: `/v2/images?${query}`,
  headers,
});

function readSteps(tag: string): Step[] {
  return [
    { name: 'versions-root', method: 'GET', path: '/', credentials: 'missing' },
    { name: 'versions', method: 'GET', path: '/versions', credentials: 'missing' },
    { name: 'schema-image', method: 'GET', path: '/v2/schemas/image' },
    { name: 'schema-images', method: 'GET', path: '/v2/schemas/images' },
    { name: 'schema-member', method: 'GET', path: '/v2/schemas/member' },
    { name: 'schema-members', method: 'GET', path: '/v2/schemas/members' },
    { name: 'schema-task', method: 'GET', path: '/v2/schemas/task' },
    { name: 'schema-tasks', method: 'GET', path: '/v2/schemas/tasks' },
    { name: 'info-import', method: 'GET', path: '/v2/info/import' },
    { name: 'info-stores', method: 'GET', path: '/v2/info/stores', headers: JSON_ERRORS },
    { name: 'info-usage', method: 'GET', path: '/v2/info/usage' },
    { name: 'minor-version-list', method: 'GET', path: `/v2.0/images?tag=${tag}` },
    { name: 'latest-minor-version-list', method: 'GET', path: `/v2.16/images?tag=${tag}` },
    { name: 'unannounced-minor-version', method: 'GET', path: '/v2.8/images', headers: JSON_ERRORS },
    { name: 'images-trailing-slash', method: 'GET', path: '/v2/images/', headers: JSON_ERRORS },
    { name: 'head-images', method: 'HEAD', path: '/v2/images' },
    { name: 'cache-as-member', method: 'GET', path: '/v2/cache', headers: JSON_ERRORS },
    { name: 'tasks-as-member', method: 'GET', path: '/v2/tasks', headers: JSON_ERRORS },
    list('list-by-tag', `tag=${tag}`),
    list('list-filter-name', `tag=${tag}&name=drift-${tag}-a`),
    list('list-filter-name-in', `tag=${tag}&name=in:drift-${tag}-a,drift-${tag}-b`),
    list('list-filter-status', `tag=${tag}&status=queued`),
    list('list-filter-status-in', `tag=${tag}&status=in:active,queued`),
    list('list-filter-visibility', `tag=${tag}&visibility=private`),
    list('list-filter-visibility-all', `tag=${tag}&visibility=all`),
    list('list-filter-disk-format', `tag=${tag}&disk_format=raw`),
    list('list-filter-container-format', `tag=${tag}&container_format=bare`),
    list('list-filter-protected', `tag=${tag}&protected=false`),
    list('list-filter-os-hidden', `tag=${tag}&os_hidden=true`),
    list('list-filter-member-status', `tag=${tag}&member_status=all`),
    list('list-filter-owner', `tag=${tag}&owner=b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1`),
    list('list-filter-size', `tag=${tag}&size_min=1&size_max=1000000`),
    list('list-filter-property', `tag=${tag}&drift_run=${tag}`),
    list('list-filter-id', `tag=${tag}&id=${UNKNOWN_ID}`),
    list('list-filter-created-at', `tag=${tag}&created_at=gte:2000-01-01T00:00:00Z`),
    list('list-sort-key', `tag=${tag}&sort_key=name&sort_dir=asc`),
    list('list-sort', `tag=${tag}&sort=name:desc,created_at`),
    list('list-page-1', `tag=${tag}&sort_key=name&sort_dir=asc&limit=1`),
    list('list-limit-0', `tag=${tag}&limit=0`),
    list('list-bad-limit', 'limit=abc', JSON_ERRORS),
    list('list-negative-limit', 'limit=-1', JSON_ERRORS),
    list('list-bad-sort-key', 'sort_key=bogus', JSON_ERRORS),
    list('list-bad-sort-dir', 'sort_dir=bogus', JSON_ERRORS),
    list('list-mixed-sort', 'sort=name&sort_key=name', JSON_ERRORS),
    list('list-bad-visibility', 'visibility=bogus', JSON_ERRORS),
    list('list-bad-os-hidden', 'os_hidden=bogus', JSON_ERRORS),
    list('list-bad-protected', 'protected=bogus', JSON_ERRORS),
    list('list-bad-size', 'size_min=abc', JSON_ERRORS),
    list('list-bad-operator', 'created_at=bogus:2016', JSON_ERRORS),
    list('list-bad-date', 'created_at=gt:notadate', JSON_ERRORS),
    list('list-bad-member-status', 'member_status=bogus', JSON_ERRORS),
    list('list-changes-since', 'changes-since=2016-01-01', JSON_ERRORS),
    list('list-unknown-marker', `marker=${UNKNOWN_ID}`, JSON_ERRORS),
    { name: 'get-unknown-json', method: 'GET', path: `/v2/images/${UNKNOWN_ID}`, headers: JSON_ERRORS },
    { name: 'get-unknown-html', method: 'GET', path: `/v2/images/${UNKNOWN_ID}`, headers: { Accept: '*/*' } },
    { name: 'get-unknown-plain', method: 'GET', path: `/v2/images/${UNKNOWN_ID}` },
    { name: 'get-malformed-id', method: 'GET', path: '/v2/images/not-a-uuid', headers: JSON_ERRORS },
    { name: 'unknown-route', method: 'GET', path: '/v2/nothing-here', headers: JSON_ERRORS },
    { name: 'v2-no-slash', method: 'GET', path: '/v2', headers: JSON_ERRORS },
    { name: 'v2-slash', method: 'GET', path: '/v2/', headers: JSON_ERRORS },
    { name: 'unknown-version', method: 'GET', path: '/v3/images', headers: JSON_ERRORS },
    { name: 'method-not-allowed', method: 'PUT', path: '/v2/images', headers: JSON_ERRORS },
    {
      name: 'no-credentials',
      method: 'GET',
      path: '/v2/images',
      credentials: 'missing',
      headers: JSON_ERRORS,
    },
    {
      name: 'wrong-credentials',
      method: 'GET',
      path: '/v2/images',
      credentials: 'wrong',
      headers: JSON_ERRORS,
    },
  ];
}

/** Writes, each undone at the end: create, patch, upload, download, tags, refusals, delete. */
function writeSteps(tag: string, ids: Ids, otherProject: string): Step[] {
  const create = (name: string, json: unknown, extra: Partial<Step> = {}): Step => ({
    name,
    method: 'POST',
    path: '/v2/images',
    json,
    headers: JSON_ERRORS,
    write: true,
    ...extra,
  });
  const patch = (name: string, id: string, ops: unknown, contentType = PATCH): Step => ({
    name,
    method: 'PATCH',
    path: `/v2/images/${id}`,
    raw: JSON.stringify(ops),
    headers: { 'Content-Type': contentType, ...JSON_ERRORS },
    write: true,
  });
  return [
    create('create-a', {
      id: ids.a,
      name: `drift-${tag}-a`,
      disk_format: 'raw',
      container_format: 'bare',
      tags: [tag, 'zeta', 'alpha'],
      drift_run: tag,
    }),
    create('create-b', {
      id: ids.b,
      name: `drift-${tag}-b`,
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'private',
      min_ram: 512,
      tags: [tag],
    }),
    create('create-c-hidden', {
      id: ids.c,
      name: `drift-${tag}-c`,
      os_hidden: true,
      protected: false,
      tags: [tag],
    }),
    create('create-d-shared', { id: ids.d, name: `drift-${tag}-d`, visibility: 'shared', tags: [tag] }),
    create('create-e-import', {
      id: ids.e,
      name: `drift-${tag}-e`,
      disk_format: 'raw',
      container_format: 'bare',
      tags: [tag],
    }),
    create('create-duplicate-id', { id: ids.a, name: 'again' }),
    create('create-bad-disk-format', { name: 'x', disk_format: 'bogus' }),
    create('create-bad-type', { name: 5 }),
    create('create-read-only', { name: 'x', status: 'active' }),
    create('create-reserved', { name: 'x', location: 'http://example.com/x' }),
    create('create-negative-min-ram', { name: 'x', min_ram: -1 }),
    create('create-public-as-member', { name: 'x', visibility: 'public' }),
    create('create-array-body', [{ name: 'x' }]),
    { ...create('create-malformed-json', undefined), raw: '{"name": ' },
    { ...create('create-no-body', undefined), raw: '' },
    { name: 'get-a', method: 'GET', path: `/v2/images/${ids.a}` },
    patch('patch-a', ids.a, [
      { op: 'replace', path: '/name', value: `drift-${tag}-a2` },
      { op: 'add', path: '/drift_note', value: 'hello' },
      { op: 'replace', path: '/min_disk', value: 1 },
    ]),
    // text outside ASCII in a property: the body carries it as UTF-8
    patch('patch-a-utf8', ids.a, [{ op: 'add', path: '/drift_text', value: 'zéro ☃' }]),
    patch('patch-read-only', ids.a, [{ op: 'replace', path: '/status', value: 'active' }]),
    // the HTML error page (python-glanceclient's Accept: */*), with its escaping
    {
      ...patch('patch-read-only-html', ids.a, [{ op: 'replace', path: '/status', value: 'active' }]),
      headers: { 'Content-Type': PATCH, Accept: '*/*' },
    },
    {
      ...patch('patch-remove-base-plain', ids.a, [{ op: 'remove', path: '/name' }]),
      headers: { 'Content-Type': PATCH },
    },
    patch('patch-remove-missing', ids.a, [{ op: 'remove', path: '/nosuch' }]),
    patch('patch-remove-base', ids.a, [{ op: 'remove', path: '/name' }]),
    patch('patch-bad-op', ids.a, [{ op: 'move', path: '/name', value: 'x' }]),
    patch('patch-nested-path', ids.a, [{ op: 'add', path: '/tags/0', value: 'x' }]),
    patch('patch-not-array', ids.a, { op: 'replace', path: '/name', value: 'x' }),
    patch('patch-wrong-content-type', ids.a, [], 'application/json'),
    {
      name: 'upload-a',
      method: 'PUT',
      path: `/v2/images/${ids.a}/file`,
      raw: Buffer.from(`drift check data for ${tag}\n`),
      headers: { 'Content-Type': 'application/octet-stream' },
      write: true,
    },
    {
      name: 'upload-c-no-format',
      method: 'PUT',
      path: `/v2/images/${ids.c}/file`,
      raw: Buffer.from('no formats yet'),
      headers: { 'Content-Type': 'application/octet-stream', ...JSON_ERRORS },
      write: true,
    },
    { name: 'get-a-after-upload', method: 'GET', path: `/v2/images/${ids.a}` },
    { name: 'download-a', method: 'GET', path: `/v2/images/${ids.a}/file` },
    {
      name: 'download-a-range',
      method: 'GET',
      path: `/v2/images/${ids.a}/file`,
      headers: { Range: 'bytes=0-4' },
    },
    {
      name: 'download-a-bad-range',
      method: 'GET',
      path: `/v2/images/${ids.a}/file`,
      headers: { Range: 'bytes=100000-', ...JSON_ERRORS },
    },
    { name: 'download-b-no-data', method: 'GET', path: `/v2/images/${ids.b}/file` },
    {
      name: 'upload-a-again',
      method: 'PUT',
      path: `/v2/images/${ids.a}/file`,
      raw: Buffer.from('again'),
      headers: { 'Content-Type': 'application/octet-stream', ...JSON_ERRORS },
      write: true,
    },
    patch('patch-disk-format-active', ids.a, [{ op: 'replace', path: '/disk_format', value: 'qcow2' }]),
    ...importSteps(ids),
    { name: 'tag-add', method: 'PUT', path: `/v2/images/${ids.b}/tags/extra`, write: true },
    { name: 'tag-delete', method: 'DELETE', path: `/v2/images/${ids.b}/tags/extra`, write: true },
    {
      name: 'tag-delete-missing',
      method: 'DELETE',
      path: `/v2/images/${ids.b}/tags/extra`,
      headers: JSON_ERRORS,
      write: true,
    },
    {
      name: 'member-add',
      method: 'POST',
      path: `/v2/images/${ids.d}/members`,
      json: { member: otherProject },
      write: true,
    },
    {
      name: 'member-add-again',
      method: 'POST',
      path: `/v2/images/${ids.d}/members`,
      json: { member: otherProject },
      headers: JSON_ERRORS,
      write: true,
    },
    { name: 'members-list', method: 'GET', path: `/v2/images/${ids.d}/members` },
    { name: 'member-get', method: 'GET', path: `/v2/images/${ids.d}/members/${otherProject}` },
    list('list-shared-member-status', `tag=${tag}&visibility=shared`),
    ...otherProjectSteps(tag, ids, otherProject),
    {
      name: 'member-delete',
      method: 'DELETE',
      path: `/v2/images/${ids.d}/members/${otherProject}`,
      write: true,
    },
    { name: 'members-of-private', method: 'GET', path: `/v2/images/${ids.b}/members`, headers: JSON_ERRORS },
    {
      name: 'deactivate-as-member',
      method: 'POST',
      path: `/v2/images/${ids.a}/actions/deactivate`,
      headers: JSON_ERRORS,
      write: true,
    },
  ];
}

/** Interoperable import: stage, the refusals of each method, a glance-direct import, the image's tasks. */
function importSteps(ids: Ids): Step[] {
  const stage = (name: string, id: string, body = 'staged drift data\n'): Step => ({
    name,
    method: 'PUT',
    path: `/v2/images/${id}/stage`,
    raw: Buffer.from(body),
    headers: { 'Content-Type': 'application/octet-stream', ...JSON_ERRORS },
    write: true,
  });
  const importing = (name: string, id: string, method: Record<string, unknown>): Step => ({
    name,
    method: 'POST',
    path: `/v2/images/${id}/import`,
    json: { method },
    headers: JSON_ERRORS,
    write: true,
  });
  return [
    importing('import-not-staged', ids.e, { name: 'glance-direct' }),
    importing('import-unknown-method', ids.e, { name: 'bogus' }),
    importing('import-web-download-loopback', ids.e, { name: 'web-download', uri: 'http://127.0.0.1/x' }),
    importing('import-web-download-port', ids.e, { name: 'web-download', uri: 'http://example.com:8080/x' }),
    importing('import-copy-queued', ids.e, { name: 'copy-image' }),
    importing('import-active', ids.a, { name: 'glance-direct' }),
    { ...stage('stage-wrong-type', ids.e), headers: { 'Content-Type': 'application/json', ...JSON_ERRORS } },
    stage('stage-e', ids.e),
    { name: 'get-e-staged', method: 'GET', path: `/v2/images/${ids.e}` },
    stage('stage-e-again', ids.e),
    { name: 'tasks-of-e-before', method: 'GET', path: `/v2/images/${ids.e}/tasks` },
    importing('import-e', ids.e, { name: 'glance-direct' }),
    {
      // Glance imports in its own time and drops the import lock after the image is active.
      name: 'get-e-imported',
      method: 'GET',
      path: `/v2/images/${ids.e}`,
      until: (image) => isImported(image),
    },
    { name: 'tasks-of-unknown', method: 'GET', path: `/v2/images/${UNKNOWN_ID}/tasks`, headers: JSON_ERRORS },
  ];
}

function isImported(image: unknown): boolean {
  const fields = (image ?? {}) as Record<string, unknown>;
  return fields.status === 'active' && !('os_glance_import_task' in fields);
}

/** The member project (`--param other-token=...`): sees the shared image, accepts it, may not change it. */
function otherProjectSteps(tag: string, ids: Ids, otherProject: string): Step[] {
  const as = 'other-token';
  return [
    { name: 'other-get-pending', method: 'GET', path: `/v2/images/${ids.d}`, as },
    { name: 'other-list-pending', method: 'GET', path: `/v2/images?tag=${tag}`, as },
    {
      name: 'other-accept',
      method: 'PUT',
      path: `/v2/images/${ids.d}/members/${otherProject}`,
      json: { status: 'accepted' },
      as,
      write: true,
    },
    { name: 'other-list-accepted', method: 'GET', path: `/v2/images?tag=${tag}`, as },
    {
      name: 'other-patch-not-owner',
      method: 'PATCH',
      path: `/v2/images/${ids.d}`,
      raw: JSON.stringify([{ op: 'replace', path: '/name', value: 'x' }]),
      headers: { 'Content-Type': PATCH, ...JSON_ERRORS },
      as,
      write: true,
    },
    { name: 'other-get-private', method: 'GET', path: `/v2/images/${ids.b}`, headers: JSON_ERRORS, as },
    {
      name: 'other-delete-not-owner',
      method: 'DELETE',
      path: `/v2/images/${ids.b}`,
      headers: JSON_ERRORS,
      as,
      write: true,
    },
  ];
}

/** Metadata definitions (writes are admin only): a namespace of the run's own, its children, and their refusals. */
function metadefSteps(tag: string): Step[] {
  const as = 'admin-token';
  const ns = `Drift::${tag}`;
  const base = `/v2/metadefs/namespaces/${ns}`;
  const step = (
    name: string,
    method: string,
    path: string,
    json?: unknown,
    by: string | undefined = as,
  ): Step => ({
    name,
    method,
    path,
    ...(json === undefined ? {} : { json }),
    headers: JSON_ERRORS,
    as: by,
    write: method !== 'GET',
  });
  return [
    step(
      'metadef-namespace-create-as-member',
      'POST',
      '/v2/metadefs/namespaces',
      { namespace: ns },
      undefined,
    ),
    step('metadef-namespace-create', 'POST', '/v2/metadefs/namespaces', {
      namespace: ns,
      display_name: 'Drift',
      description: 'zéro ☃',
      visibility: 'public',
      protected: false,
    }),
    step('metadef-namespace-again', 'POST', '/v2/metadefs/namespaces', { namespace: ns }),
    step('metadef-namespace-get', 'GET', base),
    step('metadef-namespace-get-as-member', 'GET', base, undefined, undefined),
    step('metadef-namespace-unknown', 'GET', `/v2/metadefs/namespaces/Drift::nosuch${tag}`),
    step('metadef-object-create', 'POST', `${base}/objects`, {
      name: 'obj',
      description: 'an object',
      properties: { p: { type: 'string', title: 'P' } },
      required: [],
    }),
    step('metadef-object-get', 'GET', `${base}/objects/obj`),
    step('metadef-objects', 'GET', `${base}/objects`),
    step('metadef-property-create', 'POST', `${base}/properties`, {
      name: 'prop',
      title: 'Prop',
      type: 'integer',
    }),
    step('metadef-property-bad', 'POST', `${base}/properties`, { name: 'bad', title: 'Bad', type: 'nosuch' }),
    step('metadef-properties', 'GET', `${base}/properties`),
    step('metadef-tags-create', 'POST', `${base}/tags`, { tags: [{ name: 'a' }, { name: 'b' }] }),
    step('metadef-tag-create', 'POST', `${base}/tags/c`),
    step('metadef-tags', 'GET', `${base}/tags`),
    step('metadef-tag-missing', 'GET', `${base}/tags/nosuch`),
    step('metadef-namespace-delete', 'DELETE', base),
    step('metadef-namespace-gone', 'GET', base),
  ];
}

/** An admin (`--param admin-token=...`): deactivate and reactivate, and what they do to downloads. */
function adminSteps(tag: string, ids: Ids): Step[] {
  const as = 'admin-token';
  const action = (name: string, id: string, verb: string, by?: string): Step => ({
    name,
    method: 'POST',
    path: `/v2/images/${id}/actions/${verb}`,
    headers: JSON_ERRORS,
    as: by,
    write: true,
  });
  return [
    action('admin-deactivate-queued', ids.b, 'deactivate', as),
    action('admin-deactivate', ids.a, 'deactivate', as),
    action('admin-deactivate-again', ids.a, 'deactivate', as),
    { name: 'get-deactivated', method: 'GET', path: `/v2/images/${ids.a}` },
    { name: 'download-deactivated', method: 'GET', path: `/v2/images/${ids.a}/file`, headers: JSON_ERRORS },
    { name: 'admin-download-deactivated', method: 'GET', path: `/v2/images/${ids.a}/file`, as },
    action('reactivate-as-member', ids.a, 'reactivate'),
    action('admin-reactivate', ids.a, 'reactivate', as),
    action('admin-reactivate-queued', ids.b, 'reactivate', as),
    {
      name: 'admin-patch-public',
      method: 'PATCH',
      path: `/v2/images/${ids.c}`,
      raw: JSON.stringify([{ op: 'replace', path: '/visibility', value: 'public' }]),
      headers: { 'Content-Type': PATCH, ...JSON_ERRORS },
      as,
      write: true,
    },
    { name: 'admin-list-all', method: 'GET', path: `/v2/images?tag=${tag}`, as },
    { name: 'admin-task-unknown', method: 'GET', path: `/v2/tasks/${UNKNOWN_ID}`, headers: JSON_ERRORS, as },
    {
      name: 'admin-cache-queue-queued',
      method: 'PUT',
      path: `/v2/cache/${ids.b}`,
      headers: JSON_ERRORS,
      as,
      write: true,
    },
    { name: 'admin-cache-queue', method: 'PUT', path: `/v2/cache/${ids.a}`, as, write: true },
    { name: 'admin-cache-delete', method: 'DELETE', path: `/v2/cache/${ids.a}`, as, write: true },
    {
      name: 'admin-cache-clear-bad-target',
      method: 'DELETE',
      path: '/v2/cache',
      headers: { 'x-image-cache-clear-target': 'bogus', ...JSON_ERRORS },
      as,
      write: true,
    },
    // (the list after these is not compared: the real Glance's prefetcher may cache a queued image at any moment)
    { name: 'admin-cache-clear', method: 'DELETE', path: '/v2/cache', as, write: true },
  ];
}

function cleanupSteps(ids: Ids): Step[] {
  return [
    ...(['a', 'b', 'c', 'd', 'e'] as const).map((k): Step => ({
      name: `delete-${k}`,
      method: 'DELETE',
      path: `/v2/images/${ids[k]}`,
      write: true,
      cleanup: true,
    })),
    {
      name: 'get-deleted',
      method: 'GET',
      path: `/v2/images/${ids.a}`,
      headers: JSON_ERRORS,
      write: true,
      cleanup: true,
    },
    {
      name: 'delete-again',
      method: 'DELETE',
      path: `/v2/images/${ids.a}`,
      headers: JSON_ERRORS,
      write: true,
      cleanup: true,
    },
  ];
}

/**
 * Glance v2 as python-glanceclient and openstacksdk use it. Every image the
 * run creates carries the run's tag and fixed ids derived from the run id, so
 * lists are confined to the run (a real cloud may hold other images) and ids
 * compare as they are.
 */
export const glanceScenario: Scenario = {
  provider: 'glance',
  credentialHeaders: (token) => ({ 'X-Auth-Token': token }),
  emptyCollections: ['images', 'members', 'tasks', 'cache'],
  // (metadata definitions keep their fixtures: the run's steps use a namespace of their own)
  normalise: { setKeys: ['tags'] },
  headers: [
    'content-type',
    'location',
    'allow',
    'accept-patch',
    'content-md5',
    'content-range',
    'openstack-image-import-methods',
    'www-authenticate',
  ],
  presenceHeaders: ['x-openstack-request-id'],
  params: {
    'admin-token': {
      default: '',
      description: 'an admin token: adds deactivate/reactivate and public steps',
    },
    'other-token': { default: '', description: 'a token of the member project: adds member-side steps' },
    'other-project': {
      default: OTHER_PROJECT,
      description: "the member project's id (the other token's project)",
    },
    'mock-admin-token': { default: '', description: 'the admin token for the mock (default: admin-token)' },
    'mock-other-token': { default: '', description: 'the member token for the mock (default: other-token)' },
  },
  steps({ allowWrites, runId, params }) {
    const tag = `drift${runId}`;
    // Ids fall as the images are created (a is made first, has the highest id): Glance lists
    // newest first by its sub-second created_at, so an id tie-break on whole seconds would show.
    const ids = {
      a: `${runId}-0000-4000-8000-00000000000d`,
      b: `${runId}-0000-4000-8000-00000000000c`,
      c: `${runId}-0000-4000-8000-00000000000b`,
      d: `${runId}-0000-4000-8000-00000000000a`,
      e: `${runId}-0000-4000-8000-000000000009`,
    };
    if (!allowWrites) return readSteps(tag);
    const reads = readSteps(tag);
    const writes = writeSteps(tag, ids, params['other-project']!).filter(
      (step) => step.as === undefined || params[step.as] !== '',
    );
    if (params['admin-token']) writes.push(...adminSteps(tag, ids), ...metadefSteps(tag));
    // create first, so the list steps see the run's images; the rest of the writes after them
    const creates = writes.filter((s) => s.name.startsWith('create-'));
    return [...creates, ...reads, ...writes.filter((s) => !creates.includes(s)), ...cleanupSteps(ids)];
  },
};
