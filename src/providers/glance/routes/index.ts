import type { Request, Response } from 'express';
import type { MockContext } from '../../../context.js';
import { publicBaseUrl } from '../../../http/base-url.js';
import { createResponder, sendText, type WireFormat } from '../../../http/respond.js';
import type { Resource, ResponseDoc, RouteTable } from '../../../http/route-table.js';
import { requireToken } from '../auth.js';
import { glanceErrorFormat as errorFormat, glanceErrors } from '../errors.js';
import { Catalog, type TokenRecord, type UserRecord } from '../model/index.js';
import { pythonJsonDumps } from '../model/python-text.js';
import { ImageData } from './image-data.js';
import { imageResources } from './images.js';
import { keystoneGroup } from './keystone.js';
import { requestId, routeKit } from './kit.js';
import { memberResources } from './members.js';
import { metadefResources } from './metadefs/index.js';
import { cacheResources } from './cache.js';
import { importResources } from './import.js';
import { taskResources } from './tasks.js';
import { IMPORT_METHODS } from '../model/import.js';

export const glanceJson: WireFormat = { contentType: 'application/json', serialize: pythonJsonDumps };

/** The API versions Glance 25 (Zed) announces, newest first. */
const VERSIONS = [
  'v2.16',
  'v2.15',
  'v2.14',
  'v2.9',
  'v2.7',
  'v2.6',
  'v2.5',
  'v2.4',
  'v2.3',
  'v2.2',
  'v2.1',
  'v2.0',
];

/** Schemas Glance serves, each from the same file the mock validates its answers with. */
const SERVED_SCHEMAS = [
  'image',
  'images',
  'member',
  'members',
  'task',
  'tasks',
  'metadefs/namespace',
  'metadefs/namespaces',
  'metadefs/object',
  'metadefs/objects',
  'metadefs/property',
  'metadefs/properties',
  'metadefs/tag',
  'metadefs/tags',
  'metadefs/resource_type',
  'metadefs/resource_types',
];

/** What the token check in front of /v2 answers. */
const V2_ERRORS: ResponseDoc[] = [
  { status: 401, description: 'No X-Auth-Token, or an unknown or expired one', schema: 'glance/error' },
];

/**
 * Glance owns the catch-all: `/` and `/versions` (the version document),
 * `/v2/...` (the Image API behind X-Auth-Token), the Keystone shim under
 * `/v3`, and every other path answers 300 with the versions, as Glance's
 * version negotiation does for an unknown version.
 */
export function glanceRoutes(ctx: MockContext): RouteTable {
  const reply = createResponder(ctx, glanceJson);
  const catalog = new Catalog(ctx.store);
  const tokens = ctx.store.collection<TokenRecord>('glance', 'tokens');
  const users = ctx.store.collection<UserRecord>('glance', 'users');
  const lookup = (token: string) => tokens.get(token);
  const images = new ImageData(
    () => ctx.store.blobDir('glance'),
    () => ctx.config.glanceMaxImageBytes,
  );
  const kit = routeKit(ctx, reply, catalog, images);

  const versions = (status: number) => (req: Request, res: Response) => {
    const href = `${publicBaseUrl(req)}/v2/`;
    const body = {
      versions: VERSIONS.map((id, i) => ({
        id,
        status: i === 0 ? 'CURRENT' : 'SUPPORTED',
        links: [{ rel: 'self', href }],
      })),
    };
    reply(req, res, status, body, 'glance/versions');
  };

  const schemas = SERVED_SCHEMAS.map((name): Resource => ({
    path: `/schemas/${name}`,
    operations: {
      GET: {
        summary: `The ${name} JSON schema`,
        responses: [{ status: 200, description: 'The schema', schema: 'glance/schema-document' }],
        handler: (req, res) =>
          reply(req, res, 200, ctx.validator.schema(`glance/${name}`), 'glance/schema-document'),
      },
    },
  }));

  const info: Resource[] = [
    {
      path: '/info/import',
      operations: {
        GET: {
          summary: 'The import methods',
          responses: [{ status: 200, description: 'The methods', schema: 'glance/import-info' }],
          handler: (req, res) => {
            const body = {
              'import-methods': {
                description: 'Import methods available.',
                type: 'array',
                value: [...IMPORT_METHODS],
              },
            };
            reply(req, res, 200, body, 'glance/import-info');
          },
        },
      },
    },
    {
      path: '/info/usage',
      operations: {
        GET: {
          summary: 'Quota usage (none: no unified limits are configured)',
          responses: [{ status: 200, description: 'The usage', schema: 'glance/usage' }],
          handler: (req, res) => reply(req, res, 200, { usage: {} }, 'glance/usage'),
        },
      },
    },
    {
      path: '/info/stores',
      anyMethod: true,
      operations: {
        GET: {
          summary: 'The stores (a single-store Glance has none to list)',
          responses: [{ status: 404, description: 'Multi backend is not supported', schema: 'glance/error' }],
          handler: () => {
            throw glanceErrors.notFound('Multi backend is not supported at this site.');
          },
        },
      },
    },
  ];

  return {
    errorFormat,
    errorSchema: 'glance/error',
    reply,
    errors: [],
    groups: [
      {
        prefix: '',
        resources: [
          {
            // version negotiation answers before Glance's context middleware: real Glance sends no request id here
            path: '/versions',
            anyMethod: true,
            operations: {
              GET: {
                summary: 'The API versions',
                responses: [{ status: 200, description: 'The versions', schema: 'glance/versions' }],
                handler: versions(200),
              },
            },
          },
        ],
      },
      keystoneGroup(ctx, reply, tokens, users),
      {
        prefix: '/v2',
        // every minor version Glance announces routes like /v2 (any other answers the version document)
        aliases: VERSIONS.map((v) => `/${v}`),
        // Glance's routes: `/v2/images/` is not `/v2/images`
        strict: true,
        // the token check comes before Glance's context middleware: a 401 has no request id
        use: [requireToken(ctx, lookup), requestId],
        errors: V2_ERRORS,
        resources: [
          {
            path: '/',
            docPath: '',
            fallThrough: true,
            operations: {
              GET: {
                summary: 'The version root: redirected to its slash form',
                responses: [{ status: 302, description: 'Location: /v2/' }],
                handler: (req, res, next) => {
                  // `/v2` (or `/v2.1` ...) itself; `/v2/` is a path Glance does not route
                  if (req.originalUrl.split('?')[0]!.endsWith('/')) return next();
                  sendText(res, 302, 'text/plain; charset=utf8', '', {
                    Location: `${publicBaseUrl(req)}/v2/`,
                  });
                },
              },
            },
          },
          ...imageResources(kit),
          ...memberResources(kit),
          ...importResources(kit),
          ...taskResources(kit),
          ...cacheResources(kit),
          ...metadefResources(kit),
          ...schemas,
          ...info,
        ],
        fallback: () => {
          throw glanceErrors.noRoute();
        },
      },
    ],
    // `/`, and any path whose first segment is not a version Glance serves
    fallback: versions(300),
    refuseHead: true,
  };
}
