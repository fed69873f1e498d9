import type { Scenario, Step } from '../../drift/scenario.js';

/**
 * Alliance: no token, the "credential" is the controller and project pair
 * (`--token NS/ENVIRONMENT`), sent as X-Target-Ns and X-Environment-Id.
 */
export const allianceScenario: Scenario = {
  provider: 'alliance',
  credentialHeaders(token) {
    const [ns, env] = token.split('/');
    return { 'X-Target-Ns': ns ?? '', 'X-Environment-Id': env ?? '' };
  },
  headers: ['content-type', 'allow'],
  params: {
    image: { default: '', description: 'an image id the pair can see (its get step is skipped when empty)' },
  },
  steps({ allowWrites, runId, params }) {
    const steps: Step[] = [
      { name: 'list', method: 'GET', path: '/images' },
      { name: 'list-slash', method: 'GET', path: '/images/' },
      { name: 'get-unknown', method: 'GET', path: '/images/00000000-0000-4000-8000-000000000000' },
      {
        name: 'method-not-allowed',
        method: 'POST',
        path: '/images/00000000-0000-4000-8000-000000000000',
        json: {},
      },
      { name: 'no-namespace', method: 'GET', path: '/images', credentials: 'missing' },
    ];
    if (params.image) steps.splice(2, 0, { name: 'get', method: 'GET', path: `/images/${params.image}` });
    if (!allowWrites) return steps;
    const name = `drift-${runId}`;
    return [
      ...steps,
      {
        name: 'create',
        method: 'POST',
        path: '/images',
        json: { image: { name, disk_format: 'raw', container_format: 'bare', min_ram: 1 } },
        capture: { created: 'id' },
        write: true,
      },
      {
        name: 'create-bad-format',
        method: 'POST',
        path: '/images',
        json: { image: { name, disk_format: 'bogus' } },
        write: true,
      },
      {
        name: 'create-malformed-json',
        method: 'POST',
        path: '/images',
        raw: '{"image": ',
        headers: { 'Content-Type': 'application/json' },
        write: true,
      },
      { name: 'get-created', method: 'GET', path: '/images/{created}' },
      {
        name: 'update',
        method: 'PATCH',
        path: '/images/{created}',
        json: { image: { min_disk: 2 } },
        write: true,
      },
      { name: 'delete', method: 'DELETE', path: '/images/{created}', write: true, cleanup: true },
      { name: 'get-deleted', method: 'GET', path: '/images/{created}', write: true, cleanup: true },
    ];
  },
};
