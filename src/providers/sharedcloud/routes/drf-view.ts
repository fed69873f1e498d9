import type { NextFunction, Request, Response } from 'express';
import type { MockContext } from '../../../context.js';
import { tokenUser } from '../auth.js';
import { drfAllow, drfErrors } from '../errors.js';
import type { SharedcloudState } from '../model.js';

/** A DRF renderer: its media type and its `?format=` name. The mock writes JSON for both. */
interface Renderer {
  media: string;
  format: string;
}
const JSON_RENDERER: Renderer = { media: 'application/json', format: 'json' };
const BROWSABLE_API: Renderer = { media: 'text/html', format: 'api' };
const VIEWSET_PARSERS = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/** What DRF knows about one view: its methods, renderers and parsers, and whether it needs a user. */
export interface DrfView {
  name: string;
  methods: string[];
  renderers: Renderer[];
  parses: string[];
  requiresUser: boolean;
}

export const IMAGE_LIST: DrfView = {
  name: 'Image List',
  methods: ['GET'],
  renderers: [JSON_RENDERER, BROWSABLE_API],
  parses: VIEWSET_PARSERS,
  requiresUser: true,
};
export const IMAGE_INSTANCE: DrfView = { ...IMAGE_LIST, name: 'Image Instance' };
export const OBTAIN_AUTH_TOKEN: DrfView = {
  name: 'Obtain Auth Token',
  methods: ['POST'],
  renderers: [JSON_RENDERER],
  parses: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
  requiresUser: false,
};

/** Sends a JSON answer with the view's headers (the table's responder). */
export type ViewReply = (req: Request, res: Response, status: number, body: unknown, schema: string) => void;

/**
 * What DRF's APIView does before the method handler, for every method of a
 * view (the refused ones too), in its order: content negotiation (406),
 * authentication and permission (401), then OPTIONS metadata.
 */
export function drfView(ctx: MockContext, state: SharedcloudState, ok: ViewReply) {
  return (spec: DrfView) => {
    const renders = spec.renderers.map((r) => r.media);
    const headers = { Allow: drfAllow(spec.methods), ...(renders.length > 1 ? { Vary: 'Accept' } : {}) };
    return (req: Request, res: Response, next: NextFunction) => {
      res.locals.drfHeaders = headers;
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
}

/** No Accept header, or the any-type wildcard most clients send: every renderer fits, no negotiation needed. */
const acceptsAnything = (accept: string | undefined) => accept === undefined || accept === '*/*';

/** Django's QueryDict.get: the last value of a repeated parameter. */
export function lastQueryValue(value: unknown): string {
  const last: unknown = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
}
