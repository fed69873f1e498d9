import express, { type NextFunction, type Request, type Response } from 'express';
import type { MockContext } from '../../context.js';
import { createProviderRouter, finishRouter, resource } from '../../http/provider-router.js';
import { compactJson, createResponder, type PreparedBody, preparedSize } from '../../http/respond.js';
import { cache } from '../../store/cache.js';
import { tokenUser } from './auth.js';
import { drfAllow, drfErrors, sharedcloudErrorFormat as errorFormat, viewHeaders } from './errors.js';
import { obtainToken, parseLoginBody } from './login.js';
import {
  catalogue,
  installedOn,
  normalUuid,
  sharedcloudState,
  sharedcloudTimestamp,
  toWire,
  type User,
} from './model.js';

/** A DRF renderer: its media type and its `?format=` name. The mock writes JSON for both. */
interface Renderer {
  media: string;
  format: string;
}
const JSON_RENDERER: Renderer = { media: 'application/json', format: 'json' };
const BROWSABLE_API: Renderer = { media: 'text/html', format: 'api' };
const VIEWSET_PARSERS = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/** What DRF knows about one view: its methods, renderers and parsers, and whether it needs a user. */
interface DrfView {
  name: string;
  methods: string[];
  renderers: Renderer[];
  parses: string[];
  requiresUser: boolean;
}

const IMAGE_LIST: DrfView = {
  name: 'Image List',
  methods: ['GET'],
  renderers: [JSON_RENDERER, BROWSABLE_API],
  parses: VIEWSET_PARSERS,
  requiresUser: true,
};
const IMAGE_INSTANCE: DrfView = { ...IMAGE_LIST, name: 'Image Instance' };
const OBTAIN_AUTH_TOKEN: DrfView = {
  name: 'Obtain Auth Token',
  methods: ['POST'],
  renderers: [JSON_RENDERER],
  parses: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
  requiresUser: false,
};

/**
 * Mounted at /api/v1 behind CloudMC (which owns /api/v1/services). Django
 * resolves the URL first (unknown → its HTML 404), then DRF's view runs in
 * its order: content negotiation (406), authentication and permission (401),
 * OPTIONS metadata, then the method (405).
 */
export function sharedcloudRouter(ctx: MockContext) {
  const router = createProviderRouter(ctx, 'sharedcloud');
  const reply = createResponder(ctx, compactJson);
  const state = sharedcloudState(ctx.store);
  const shown = [state.images, state.instances];
  const ok = (req: Request, res: Response, status: number, body: unknown, schema: string) =>
    reply(req, res, status, body, schema, viewHeaders(req));
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

  const view = (spec: DrfView) => {
    const renders = spec.renderers.map((r) => r.media);
    const headers = { Allow: drfAllow(spec.methods), ...(renders.length > 1 ? { Vary: 'Accept' } : {}) };
    return (req: Request, res: Response, next: NextFunction) => {
      res.locals.drfHeaders = headers;
      // content negotiation comes first in DRF's APIView.initial, before authentication;
      // ?format= overrides Accept and names a renderer (json, or api for the browsable one)
      const format = lastQueryValue(req.query.format);
      if (format) {
        if (!spec.renderers.some((r) => r.format === format)) throw drfErrors.notFound();
      } else if (!acceptsAnything(req.headers.accept) && !req.accepts(renders)) {
        throw drfErrors.notAcceptable();
      }
      // DRF authenticates on every view, even one that needs no user: a bad token is a 401 there too
      const user = tokenUser(ctx.config.auth, state, req.headers.authorization);
      if (spec.requiresUser && !user) throw drfErrors.notAuthenticated();
      res.locals.user = user;
      if (req.method === 'OPTIONS') {
        const metadata = { name: spec.name, description: '', renders, parses: spec.parses };
        return ok(req, res, 200, metadata, 'sharedcloud/metadata');
      }
      next();
    };
  };

  router.all('/images', view(IMAGE_LIST));
  resource(
    router,
    '/images',
    {
      GET: (req, res) => {
        const instance = lastQueryValue(req.query.instance);
        const username = (res.locals.user as User).username;
        const instanceUuid = instance ? (normalUuid(instance) ?? '') : null;
        const key = instanceUuid === null ? 'catalogue' : `installed ${username} ${instanceUuid}`;
        const body = timed(key, 'sharedcloud/image-list', (now) => {
          const images =
            instanceUuid === null
              ? catalogue(state.images.all())
              : installedOn(state, username, instanceUuid);
          return images.map((i) => toWire(i, now));
        });
        ok(req, res, 200, body, 'sharedcloud/image-list');
      },
    },
    errorFormat,
  );

  router.all('/images/:uuid', view(IMAGE_INSTANCE));
  resource(
    router,
    '/images/:uuid',
    {
      GET: (req, res) => {
        const uuid = normalUuid((req.params as { uuid: string }).uuid);
        const image = uuid ? state.images.get(uuid) : undefined;
        if (!image) throw drfErrors.notFound();
        const body = timed(`image ${image.uuid}`, 'sharedcloud/image', (now) => toWire(image, now));
        ok(req, res, 200, body, 'sharedcloud/image');
      },
    },
    errorFormat,
  );

  router.all('/api-token-auth', view(OBTAIN_AUTH_TOKEN));
  router.post('/api-token-auth', express.raw({ type: () => true, limit: ctx.config.maxBodyBytes }));
  resource(
    router,
    '/api-token-auth',
    {
      POST: async (req, res) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const parsed = await parseLoginBody(body, req.get('content-type'));
        ok(req, res, 200, { token: obtainToken(ctx.config.auth, state, parsed) }, 'sharedcloud/token');
      },
    },
    errorFormat,
  );

  return finishRouter(router, ctx, errorFormat, reply);
}

/** No Accept header, or the any-type wildcard most clients send: every renderer fits, no negotiation needed. */
const acceptsAnything = (accept: string | undefined) => accept === undefined || accept === '*/*';

/** Django's QueryDict.get: the last value of a repeated parameter. */
function lastQueryValue(value: unknown): string {
  const last: unknown = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
}
