import { createHash, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { MockContext } from '../../../context.js';
import { frameworkFailure } from '../../../http/api-error.js';
import { publicBaseUrl } from '../../../http/base-url.js';
import { bodyReader } from '../../../http/body.js';
import type { Reply } from '../../../http/respond.js';
import type { RouteGroup } from '../../../http/route-table.js';
import type { Collection } from '../../../store/collection.js';
import type { TokenRecord, UserRecord } from '../model/index.js';
import { requestId } from './kit.js';

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;
const DOMAIN = { id: 'default', name: 'Default' };

/** Keystone's microsecond timestamps (`2024-06-01T00:00:00.000000Z`). */
const keystoneTime = (d: Date) => d.toISOString().replace(/Z$/, '000Z');
const stableId = (text: string) => createHash('md5').update(text).digest('hex');

/**
 * Just enough Keystone v3 for a normal OS_AUTH_URL / clouds.yaml login:
 * version discovery at /v3, and POST /v3/auth/tokens with the password
 * method (fixture users) or the token method, answering a project-scoped
 * token whose catalog points the `image` service back at this server.
 */
export function keystoneGroup(
  ctx: MockContext,
  reply: Reply,
  tokens: Collection<TokenRecord>,
  users: Collection<UserRecord>,
): RouteGroup {
  const fail = (req: Request, res: Response, code: 400 | 401 | 404 | 413, message: string) => {
    const title = {
      400: 'Bad Request',
      401: 'Unauthorized',
      404: 'Not Found',
      413: 'Request Entity Too Large',
    }[code];
    reply(req, res, code, { error: { code, title, message } }, 'glance/keystone-error', {
      Vary: 'X-Auth-Token',
      ...(code === 401 ? { 'WWW-Authenticate': `Keystone uri="${publicBaseUrl(req)}/v3"` } : {}),
    });
  };

  /** The shared reader, with a body it cannot take answered as Keystone does (its RequestTooLarge, or bad JSON). */
  const read = bodyReader(ctx, { as: 'text' });
  const readLoginBody = (req: Request, res: Response, next: NextFunction) =>
    read(req, res, (err?: unknown) => {
      if (!err) return next();
      const kind = frameworkFailure(err);
      if (kind === 'body-too-large') return fail(req, res, 413, 'Request is too large.');
      if (kind === 'malformed-json' || kind === 'bad-encoding')
        return fail(req, res, 400, 'The request body must be valid JSON.');
      next(err);
    });

  const login = async (req: Request, res: Response) => {
    let body: unknown;
    try {
      body = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      return fail(req, res, 400, 'The request body must be valid JSON.');
    }
    const auth = (body as { auth?: Record<string, unknown> } | null)?.auth;
    const identity = auth?.identity as Record<string, unknown> | undefined;
    const methods = identity?.methods;
    if (!identity || !Array.isArray(methods) || methods.length === 0) {
      return fail(req, res, 400, "Invalid input for field 'identity': 'methods' is a required property");
    }
    let user: UserRecord | undefined;
    let from: TokenRecord | undefined;
    if (methods.includes('password')) {
      const u = (identity.password as { user?: Record<string, unknown> } | undefined)?.user ?? {};
      const domain = (u.domain ?? {}) as { id?: string; name?: string };
      user = users.find(
        (c) =>
          (u.id !== undefined ? c.id === u.id : c.name === u.name) &&
          (u.id !== undefined || domain.id === c.domain || domain.name?.toLowerCase() === c.domain) &&
          c.password === u.password,
      );
    } else if (methods.includes('token')) {
      const tokenId = (identity.token as { id?: unknown } | undefined)?.id;
      from = typeof tokenId === 'string' ? tokens.get(tokenId) : undefined;
    }
    if (!user && !from) return fail(req, res, 401, 'The request you have made requires authentication.');

    const scope = ((auth?.scope as { project?: Record<string, unknown> } | undefined)?.project ?? {}) as {
      id?: string;
      name?: string;
    };
    const project = user
      ? { id: user.project_id, name: user.project_name }
      : { id: from!.project_id, name: from!.project_name };
    if (
      (scope.id !== undefined && scope.id !== project.id) ||
      (scope.name !== undefined && scope.name !== project.name)
    ) {
      return fail(req, res, 401, 'The request you have made requires authentication.');
    }
    const now = ctx.clock.now();
    const issued: TokenRecord = {
      token: `gAAAAA${randomUUID().replace(/-/g, '')}`,
      project_id: project.id,
      project_name: project.name,
      user_id: user?.id ?? from!.user_id,
      user_name: user?.name ?? from!.user_name,
      roles: user?.roles ?? from!.roles,
      expires_at: keystoneTime(new Date(now.getTime() + TOKEN_LIFETIME_MS)),
    };
    await tokens.insert(issued);
    reply(
      req,
      res,
      201,
      tokenBody(issued, methods as string[], now, publicBaseUrl(req)),
      'glance/keystone-token',
      {
        'X-Subject-Token': issued.token,
        Vary: 'X-Auth-Token',
      },
    );
  };

  return {
    prefix: '/v3',
    // the shim's own answers carry a request id; an unknown /v3/... path is Glance's version document
    use: [
      (req: Request, res: Response, next: NextFunction) =>
        /^\/(auth\/|$)/.test(req.path) ? requestId(req, res, next) : next(),
    ],
    resources: [
      {
        path: '/',
        docPath: '',
        fallThrough: true,
        operations: {
          GET: {
            summary: 'Keystone v3 version discovery (the shim)',
            responses: [{ status: 200, description: 'The version', schema: 'glance/keystone-version' }],
            handler: (req, res) =>
              reply(req, res, 200, versionDocument(publicBaseUrl(req)), 'glance/keystone-version'),
          },
        },
      },
      {
        path: '/auth/tokens',
        fallThrough: true,
        operations: {
          POST: {
            summary: 'Log in (password or token method): a project-scoped token whose catalog points here',
            request: { schema: 'glance/keystone-auth-request' },
            responses: [
              { status: 201, description: 'The token (X-Subject-Token)', schema: 'glance/keystone-token' },
              { status: 400, description: 'Not JSON, or no methods', schema: 'glance/keystone-error' },
              {
                status: 401,
                description: 'Unknown user, password or token',
                schema: 'glance/keystone-error',
              },
              { status: 413, description: 'A body over --max-body-bytes', schema: 'glance/keystone-error' },
            ],
            before: [readLoginBody],
            handler: login,
          },
        },
      },
    ],
  };
}

function versionDocument(base: string) {
  return {
    version: {
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${base}/v3/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    },
  };
}

function tokenBody(t: TokenRecord, methods: string[], now: Date, base: string) {
  const endpoints = (service: string, url: string) =>
    ['public', 'internal', 'admin'].map((iface) => ({
      id: stableId(`${service}/${iface}`),
      interface: iface,
      region_id: 'RegionOne',
      url,
      region: 'RegionOne',
    }));
  return {
    token: {
      methods,
      user: { domain: DOMAIN, id: t.user_id, name: t.user_name, password_expires_at: null },
      audit_ids: [stableId(t.token).slice(0, 22)],
      expires_at: t.expires_at,
      issued_at: keystoneTime(now),
      project: { domain: DOMAIN, id: t.project_id, name: t.project_name },
      is_domain: false,
      roles: t.roles.map((name) => ({ id: stableId(`role/${name}`), name })),
      catalog: [
        { endpoints: endpoints('image', base), id: stableId('service/image'), type: 'image', name: 'glance' },
        {
          endpoints: endpoints('identity', `${base}/v3`),
          id: stableId('service/identity'),
          type: 'identity',
          name: 'keystone',
        },
      ],
    },
  };
}
