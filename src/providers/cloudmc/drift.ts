import type { Scenario } from '../../drift/scenario.js';

/**
 * CloudMC (StackPath Edge, Cox Edge): read-only, as the API is. The service
 * connection, environment and a known image id are parameters, since they
 * differ per account.
 */
export const cloudmcScenario: Scenario = {
  provider: 'cloudmc',
  credentialHeaders: (token) => ({ 'MC-Api-Key': token }),
  headers: ['content-type', 'allow'],
  params: {
    service: { default: 'stackpath', description: 'service connection code' },
    environment: { default: 'test-area', description: 'environment name' },
    image: {
      default: 'a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110',
      description: 'an image id the key can see',
    },
    filter: {
      default: 'imageType=default',
      description: "the connection's list filter (Cox: includeOnlySystemImages=true)",
    },
  },
  steps({ params }) {
    const base = `/api/v1/services/${params.service}/${params.environment}/images`;
    return [
      { name: 'list', method: 'GET', path: base },
      { name: 'list-filtered', method: 'GET', path: `${base}?${params.filter}` },
      { name: 'get', method: 'GET', path: `${base}/${params.image}` },
      { name: 'get-encoded-id', method: 'GET', path: `${base}/${params.image!.replaceAll('/', '%2F')}` },
      { name: 'get-unknown', method: 'GET', path: `${base}/00000000-0000-0000-0000-000000000000/nope/v0` },
      {
        name: 'unknown-environment',
        method: 'GET',
        path: `/api/v1/services/${params.service}/no-such-environment/images`,
      },
      { name: 'method-not-allowed', method: 'DELETE', path: base },
      { name: 'no-credentials', method: 'GET', path: base, credentials: 'missing' },
      { name: 'wrong-credentials', method: 'GET', path: base, credentials: 'wrong' },
    ];
  },
};
