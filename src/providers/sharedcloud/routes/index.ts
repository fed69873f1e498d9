import type { Request, Response } from 'express';
import { bodyReader } from '../../../http/body.js';
import type { MockContext } from '../../../context.js';
import { compactJson, createResponder, type PreparedBody, preparedSize } from '../../../http/respond.js';
import type { ResponseDoc, RouteTable } from '../../../http/route-table.js';
import { cache } from '../../../store/cache.js';
import { drfErrors, sharedcloudErrorFormat as errorFormat, viewHeaders } from '../errors.js';
import {
  catalogue,
  installedOn,
  normalUuid,
  sharedcloudState,
  sharedcloudTimestamp,
  toWire,
  type User,
} from '../model.js';
import { drfView, IMAGE_INSTANCE, IMAGE_LIST, lastQueryValue, OBTAIN_AUTH_TOKEN } from './drf-view.js';
import { obtainToken, parseLoginBody } from './login.js';

/** What any view can answer besides its own result (DRF runs these checks on every view). */
const ERRORS: ResponseDoc[] = [
  { status: 401, description: 'Malformed or unknown token', schema: 'sharedcloud/detail' },
  { status: 406, description: 'No JSON in Accept', schema: 'sharedcloud/detail' },
];

/**
 * Mounted at /api/v1 behind CloudMC (which owns /api/v1/services). Django
 * resolves the URL first (unknown → its HTML 404; the trailing slash is
 * optional), then DRF's view runs its checks (`drfView`), then the method
 * (405 for any other).
 */
export function sharedcloudRoutes(ctx: MockContext): RouteTable {
  const reply = createResponder(ctx, compactJson);
  const state = sharedcloudState(ctx.store);
  const shown = [state.images, state.instances];
  const ok = (req: Request, res: Response, status: number, body: unknown, schema: string) =>
    reply(req, res, status, body, schema, viewHeaders(req));
  const view = drfView(ctx, state, ok);

  /**
   * An answer that carries `current_server_time` (whole seconds): serialised
   * and validated once per second and version of what it shows, not per request.
   */
  let second = Number.NaN;
  let secondText = '';
  const timed = (key: string, schema: string, build: (now: string) => unknown): PreparedBody => {
    const at = Math.floor(ctx.clock.now().getTime() / 1000);
    if (at !== second) [second, secondText] = [at, sharedcloudTimestamp(new Date(at * 1000))];
    const now = secondText;
    return cache.get(
      shown,
      `sharedcloud ${key} ${now}`,
      () => reply.prepare(build(now), schema),
      preparedSize,
    );
  };

  const listImages = (req: Request, res: Response) => {
    const instance = lastQueryValue(req.query.instance);
    const username = (res.locals.user as User).username;
    const instanceUuid = instance ? (normalUuid(instance) ?? '') : null;
    const key = instanceUuid === null ? 'catalogue' : `installed ${username} ${instanceUuid}`;
    const body = timed(key, 'sharedcloud/image-list', (now) => {
      const images =
        instanceUuid === null ? catalogue(state.images.all()) : installedOn(state, username, instanceUuid);
      return images.map((i) => toWire(i, now));
    });
    ok(req, res, 200, body, 'sharedcloud/image-list');
  };

  const getImage = (req: Request, res: Response) => {
    const uuid = normalUuid((req.params as { uuid: string }).uuid);
    const image = uuid ? state.images.get(uuid) : undefined;
    if (!image) throw drfErrors.notFound();
    const body = timed(`image ${image.uuid}`, 'sharedcloud/image', (now) => toWire(image, now));
    ok(req, res, 200, body, 'sharedcloud/image');
  };

  const login = async (req: Request, res: Response) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const parsed = await parseLoginBody(body, req.get('content-type'));
    ok(req, res, 200, { token: obtainToken(ctx.config.auth, state, parsed) }, 'sharedcloud/token');
  };

  return {
    errorFormat,
    errorSchema: 'sharedcloud/detail',
    reply,
    errors: ERRORS,
    groups: [
      {
        prefix: '',
        resources: [
          {
            path: '/images',
            docPath: '/images/',
            use: [view(IMAGE_LIST)],
            operations: {
              GET: {
                summary: 'List the image catalogue (bare array, creation order)',
                parameters: [
                  {
                    name: 'instance',
                    in: 'query',
                    description: "only the images downloaded on this one of the caller's instances",
                  },
                ],
                responses: [{ status: 200, description: 'The images', schema: 'sharedcloud/image-list' }],
                handler: listImages,
              },
            },
          },
          {
            path: '/images/:uuid',
            docPath: '/images/{uuid}/',
            use: [view(IMAGE_INSTANCE)],
            operations: {
              GET: {
                summary: 'Get one image',
                responses: [
                  { status: 200, description: 'The image', schema: 'sharedcloud/image' },
                  { status: 404, description: 'Unknown or malformed uuid', schema: 'sharedcloud/detail' },
                ],
                handler: getImage,
              },
            },
          },
          {
            path: '/api-token-auth',
            docPath: '/api-token-auth/',
            use: [view(OBTAIN_AUTH_TOKEN)],
            operations: {
              POST: {
                summary: "Log in: a fixture user's token",
                request: {
                  schema: 'sharedcloud/login-request',
                  contentType: 'application/x-www-form-urlencoded',
                },
                responses: [
                  { status: 200, description: 'The token', schema: 'sharedcloud/token' },
                  {
                    status: 400,
                    description: 'Missing fields, wrong credentials or a body over the size limit',
                    schema: 'sharedcloud/field-errors',
                  },
                  { status: 415, description: 'Not form, multipart or JSON', schema: 'sharedcloud/detail' },
                ],
                before: [bodyReader(ctx, { as: 'raw' })],
                handler: login,
              },
            },
          },
        ],
      },
    ],
  };
}
