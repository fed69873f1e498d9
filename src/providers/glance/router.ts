import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { MockContext } from '../../context.js';
import { publicBaseUrl } from '../../http/base-url.js';
import { createProviderRouter, finishRouter, resource } from '../../http/provider-router.js';
import { createResponder, sendText, type WireFormat } from '../../http/respond.js';
import { requireToken } from './auth.js';
import { ImageData } from './data.js';
import { glanceErrorFormat as errorFormat, glanceErrors } from './errors.js';
import { imageRoutes } from './images-routes.js';
import { keystoneRoutes } from './keystone.js';
import { memberRoutes } from './members-routes.js';
import { Catalog, type TokenRecord, type UserRecord } from './model/catalog.js';
import { pythonJsonDumps } from './python-text.js';
import { routeKit } from './route-kit.js';

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
  'metadefs/namespace',
  'metadefs/resource_type',
];

const requestId = (_req: Request, res: Response, next: NextFunction) => {
  res.setHeader('X-Openstack-Request-Id', `req-${randomUUID()}`);
  next();
};

/**
 * Glance owns the catch-all: `/` and `/versions` (the version document),
 * `/v2/...` (the Image API behind X-Auth-Token), the Keystone shim under
 * `/v3`, and every other path answers 300 with the versions, as Glance's
 * version negotiation does for an unknown version.
 */
export function glanceRouter(ctx: MockContext) {
  const router = createProviderRouter(ctx, 'glance');
  const reply = createResponder(ctx, glanceJson);
  const catalog = new Catalog(ctx.store);
  const tokens = ctx.store.collection<TokenRecord>('glance', 'tokens');
  const users = ctx.store.collection<UserRecord>('glance', 'users');
  const lookup = (token: string) => tokens.get(token);
  const images = new ImageData(
    () => ctx.store.blobDir('glance'),
    () => ctx.config.glanceMaxImageBytes,
  );

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

  // version negotiation answers before Glance's context middleware: real Glance sends no request id here
  router.all('/versions', versions(200));
  // the Keystone shim's own answers carry one; an unknown /v3/... path is Glance's version document
  router.use('/v3', (req, res, next) =>
    /^\/(auth\/|$)/.test(req.path) ? requestId(req, res, next) : next(),
  );
  keystoneRoutes(router, ctx, reply, tokens, users);

  const v2 = express.Router();
  // the token check comes before Glance's context middleware: a 401 has no request id
  v2.use(requireToken(ctx, lookup), requestId);
  v2.get('/', (req, res, next) => {
    // Glance redirects the bare version root to its slash form
    if (req.originalUrl.split('?')[0] !== '/v2') return next();
    sendText(res, 302, 'text/plain; charset=utf8', '', { Location: `${publicBaseUrl(req)}/v2/` });
  });
  const kit = routeKit(v2, ctx, reply, catalog, images);
  imageRoutes(kit);
  memberRoutes(kit);
  for (const name of SERVED_SCHEMAS) {
    resource(
      v2,
      `/schemas/${name}`,
      {
        GET: (req, res) =>
          reply(req, res, 200, ctx.validator.schema(`glance/${name}`), 'glance/schema-document'),
      },
      errorFormat,
    );
  }
  resource(
    v2,
    '/info/import',
    {
      GET: (req, res) => {
        const body = {
          'import-methods': {
            description: 'Import methods available.',
            type: 'array',
            value: ['glance-direct', 'web-download', 'copy-image'],
          },
        };
        reply(req, res, 200, body, 'glance/import-info');
      },
    },
    errorFormat,
  );
  v2.all('/info/stores', () => {
    throw glanceErrors.notFound('Multi backend is not supported at this site.');
  });
  v2.use(() => {
    throw glanceErrors.noRoute();
  });
  router.use('/v2', v2);

  // `/`, and any path whose first segment is not a version Glance serves
  router.use(versions(300));
  return finishRouter(router, ctx, errorFormat, reply);
}
