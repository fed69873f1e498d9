import type { EndpointDoc } from '../provider.js';

const headers: EndpointDoc['parameters'] = [
  {
    name: 'X-Target-Ns',
    in: 'header',
    required: true,
    description: 'the controller (namespace), e.g. ccsr1',
  },
  {
    name: 'X-Environment-Id',
    in: 'header',
    required: true,
    description: 'the OpenStack project that owns images',
  },
];
const error = (status: number, description: string) => ({ status, description, schema: 'alliance/error' });
const missingHeader = error(400, 'A required header is missing, or the body is invalid');
const notFound = error(404, 'No image with that id or name for this namespace and environment');
const ambiguous = error(409, 'Several images have that name: use the id');
const body = { schema: 'alliance/image-request' };

/** For the OpenAPI document; the trailing slash is optional on every path. */
export const allianceEndpoints: EndpointDoc[] = [
  {
    method: 'GET',
    path: '/images',
    summary: "List the environment's images and the namespace's public ones, newest first",
    parameters: headers,
    responses: [{ status: 200, description: 'The images', schema: 'alliance/image-list' }, missingHeader],
  },
  {
    method: 'POST',
    path: '/images',
    summary: 'Create an image (queued, owned by X-Environment-Id)',
    parameters: headers,
    request: body,
    responses: [
      { status: 201, description: 'The new image', schema: 'alliance/image' },
      missingHeader,
      error(409, 'The id is taken'),
      error(413, 'Body too large'),
      error(415, 'Not application/json'),
    ],
  },
  {
    method: 'GET',
    path: '/images/{ref}',
    summary: 'Get an image by id, or by exact name',
    parameters: headers,
    responses: [
      { status: 200, description: 'The image', schema: 'alliance/image' },
      missingHeader,
      notFound,
      ambiguous,
    ],
  },
  ...(['PATCH', 'PUT'] as const).map((method): EndpointDoc => ({
    method,
    path: '/images/{ref}',
    summary: 'Update an image (by id or exact name): every supplied field is applied',
    parameters: headers,
    request: body,
    responses: [
      { status: 200, description: 'The updated image', schema: 'alliance/image' },
      missingHeader,
      error(403, 'Read-only attribute, or an image of another environment'),
      notFound,
      ambiguous,
      error(415, 'Not application/json'),
    ],
  })),
  {
    method: 'DELETE',
    path: '/images/{ref}',
    summary: 'Delete an image (200, empty body)',
    parameters: headers,
    responses: [
      { status: 200, description: 'Deleted' },
      missingHeader,
      error(403, 'Protected, or an image of another environment'),
      notFound,
      ambiguous,
    ],
  },
];
