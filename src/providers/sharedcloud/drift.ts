import type { Scenario } from '../../drift/scenario.js';

/** Sharedcloud (DRF): the catalogue, one image, its lookups' errors, DRF token auth and the login endpoint. */
export const sharedcloudScenario: Scenario = {
  provider: 'sharedcloud',
  credentialHeaders: (token) => ({ Authorization: `Token ${token}` }),
  headers: ['content-type', 'allow', 'www-authenticate'],
  params: {
    image: { default: '24b310f8-1405-4928-914f-d5c91272f88a', description: 'an image uuid of the catalogue' },
  },
  steps({ params }) {
    return [
      { name: 'list', method: 'GET', path: '/api/v1/images/' },
      { name: 'list-no-slash', method: 'GET', path: '/api/v1/images' },
      {
        name: 'list-unknown-instance',
        method: 'GET',
        path: '/api/v1/images/?instance=00000000-0000-4000-8000-000000000000',
      },
      { name: 'get', method: 'GET', path: `/api/v1/images/${params.image}/` },
      { name: 'get-unknown', method: 'GET', path: '/api/v1/images/00000000-0000-4000-8000-000000000000/' },
      { name: 'get-malformed', method: 'GET', path: '/api/v1/images/not-a-uuid/' },
      { name: 'method-not-allowed', method: 'POST', path: '/api/v1/images/', json: {} },
      { name: 'no-credentials', method: 'GET', path: '/api/v1/images/', credentials: 'missing' },
      { name: 'wrong-credentials', method: 'GET', path: '/api/v1/images/', credentials: 'wrong' },
      {
        name: 'login-wrong-password',
        method: 'POST',
        path: '/api/v1/api-token-auth/',
        credentials: 'missing',
        json: { username: 'drift-check-nobody', password: 'drift-check-wrong' },
      },
      {
        name: 'login-missing-fields',
        method: 'POST',
        path: '/api/v1/api-token-auth/',
        credentials: 'missing',
        json: {},
      },
    ];
  },
};
