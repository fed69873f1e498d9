/**
 * Headers that carry credentials in any of the five APIs. Logs, the request
 * journal, recordings and drift reports all mask them by this one list.
 */
export const CREDENTIAL_HEADERS: readonly string[] = [
  'mc-api-key',
  'x-auth-token',
  'x-subject-token',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
];
