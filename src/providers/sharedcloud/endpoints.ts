import type { AuthDoc, EndpointDoc } from '../provider.js';

const unauthorized = {
  status: 401,
  description: 'No, malformed or unknown token',
  schema: 'sharedcloud/detail',
};
const notAcceptable = { status: 406, description: 'No JSON in Accept', schema: 'sharedcloud/detail' };

export const sharedcloudAuth: AuthDoc = {
  type: 'apiKey',
  in: 'header',
  name: 'Authorization',
  description:
    "`Token <key>` (DRF TokenAuthentication); POST /api/v1/api-token-auth/ gives a fixture user's key.",
};

/** For the OpenAPI document; the trailing slash is optional on every path. */
export const sharedcloudEndpoints: EndpointDoc[] = [
  {
    method: 'GET',
    path: '/api/v1/images/',
    summary: 'List the image catalogue (bare array, creation order)',
    parameters: [
      {
        name: 'instance',
        in: 'query',
        description: "only the images downloaded on this one of the caller's instances",
      },
    ],
    responses: [
      { status: 200, description: 'The images', schema: 'sharedcloud/image-list' },
      unauthorized,
      notAcceptable,
    ],
  },
  {
    method: 'GET',
    path: '/api/v1/images/{uuid}/',
    summary: 'Get one image',
    responses: [
      { status: 200, description: 'The image', schema: 'sharedcloud/image' },
      unauthorized,
      { status: 404, description: 'Unknown or malformed uuid', schema: 'sharedcloud/detail' },
      notAcceptable,
    ],
  },
  {
    method: 'POST',
    path: '/api/v1/api-token-auth/',
    summary: "Log in: a fixture user's token",
    request: { schema: 'sharedcloud/login-request', contentType: 'application/x-www-form-urlencoded' },
    responses: [
      { status: 200, description: 'The token', schema: 'sharedcloud/token' },
      { status: 400, description: 'Missing fields or wrong credentials', schema: 'sharedcloud/field-errors' },
      { status: 415, description: 'Not form, multipart or JSON', schema: 'sharedcloud/detail' },
    ],
  },
];
