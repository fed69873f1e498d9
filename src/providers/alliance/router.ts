import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { MockContext } from '../../context.js';
import { headerValue } from '../../http/auth.js';
import { createProviderRouter, finishRouter, jsonBody, resource } from '../../http/provider-router.js';
import { compactJson, createResponder, preparedSize, sendText } from '../../http/respond.js';
import { cache } from '../../store/cache.js';
import { glanceTimestamp } from '../openstack/image-fields.js';
import { allianceErrorFormat as errorFormat, allianceErrors as errors } from './errors.js';
import { listFor, ownedBy, resolve, type Scope, type StoredImage, toWire } from './model.js';
import { imageInput } from './request.js';

/**
 * Mounted at /images. Every request names its controller (X-Target-Ns,
 * checked first) and project (X-Environment-Id); each pair is its own set
 * of images plus the namespace's public ones.
 */
export function allianceRouter(ctx: MockContext) {
  const router = createProviderRouter(ctx, 'alliance');
  const reply = createResponder(ctx, compactJson);
  const images = ctx.store.collection<StoredImage>('alliance', 'images');
  const scopeOf = (res: Response) => res.locals.scope as Scope;

  router.use((req: Request, res: Response, next: NextFunction) => {
    const namespace = headerValue(req.headers['x-target-ns'])?.trim();
    if (!namespace) throw errors.missingHeader('X-Target-Ns');
    const environment = headerValue(req.headers['x-environment-id'])?.trim();
    if (!environment) throw errors.missingHeader('X-Environment-Id');
    res.locals.scope = { namespace, environment } satisfies Scope;
    next();
  });

  /** Writes carry JSON: the Content-Type is checked before the body is read. */
  const json = jsonBody(ctx);
  const jsonOnly = (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('application/json')) throw errors.notJson(req.get('content-type'));
    // body-parser would read an empty body as {}: a write without a body is a client mistake
    const length = req.headers['content-length'];
    if (req.headers['transfer-encoding'] === undefined && (length === undefined || Number(length) === 0))
      throw errors.emptyBody();
    json(req, res, next);
  };

  // Answers and look-ups are kept per version of the images (the cache), keyed by everything else they depend on.
  const keyOf = (kind: string, scope: Scope, ref = '') =>
    JSON.stringify(['alliance', kind, scope.namespace, scope.environment, ref]);

  const find = (req: Request, res: Response): StoredImage => {
    const ref = (req.params as { ref: string }).ref;
    const scope = scopeOf(res);
    const found = cache.get([images], keyOf('resolve', scope, ref), () => resolve(images.all(), scope, ref));
    if ('missing' in found) throw errors.notFound(ref);
    if ('ambiguous' in found) throw errors.ambiguous(ref, found.ambiguous);
    return found.found;
  };

  const findOwned = (req: Request, res: Response): StoredImage => {
    const image = find(req, res);
    if (!ownedBy(image, scopeOf(res))) throw errors.notOwner(image.id);
    return image;
  };

  const update = async (req: Request, res: Response) => {
    const image = findOwned(req, res);
    const input = imageInput(req.body, 'update');
    const now = glanceTimestamp(ctx.clock.now());
    const updated = await images.update(image.id, {
      ...input,
      updated_at: now > image.updated_at ? now : image.updated_at,
    });
    reply(req, res, 200, toWire(updated), 'alliance/image');
  };

  router.post('/', jsonOnly);
  router.patch('/:ref', jsonOnly);
  router.put('/:ref', jsonOnly);

  resource(
    router,
    '/',
    {
      GET: (req, res) => {
        const scope = scopeOf(res);
        const body = cache.get(
          [images],
          keyOf('list', scope),
          () => reply.prepare({ images: listFor(images.all(), scope).map(toWire) }, 'alliance/image-list'),
          preparedSize,
        );
        reply(req, res, 200, body, 'alliance/image-list');
      },
      POST: async (req, res) => {
        const scope = scopeOf(res);
        const input = imageInput(req.body, 'create');
        const id = input.id ?? randomUUID();
        if (images.has(id)) throw errors.duplicateId(id);
        const now = glanceTimestamp(ctx.clock.now());
        const image: StoredImage = {
          namespace: scope.namespace,
          id,
          name: input.name ?? null,
          status: 'queued',
          created_at: now,
          updated_at: now,
          tags: input.tags ?? [],
          container_format: input.container_format ?? null,
          disk_format: input.disk_format ?? null,
          min_ram: input.min_ram ?? 0,
          min_disk: input.min_disk ?? 0,
          visibility: input.visibility ?? 'private',
          ...(input.copy_from === undefined ? {} : { copy_from: input.copy_from }),
          owner: scope.environment,
          protected: input.protected ?? false,
          checksum: null,
          virtual_size: null,
          size: null,
        };
        reply(req, res, 201, toWire(await images.insert(image)), 'alliance/image');
      },
    },
    errorFormat,
  );

  resource(
    router,
    '/:ref',
    {
      GET: (req, res) => {
        const image = find(req, res);
        // the answer is the image's alone, whichever pair found it
        const body = cache.forRecord(
          image,
          'alliance get',
          () => reply.prepare(toWire(image), 'alliance/image'),
          preparedSize,
        );
        reply(req, res, 200, body, 'alliance/image');
      },
      PATCH: update,
      PUT: update,
      DELETE: async (req, res) => {
        const image = findOwned(req, res);
        if (image.protected) throw errors.protectedImage(image.id);
        await images.remove(image.id);
        sendText(res, 200, null, '');
      },
    },
    errorFormat,
  );

  return finishRouter(router, ctx, errorFormat, reply);
}
