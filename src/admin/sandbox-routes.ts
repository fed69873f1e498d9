import type { Router } from 'express';
import type { MockContext } from '../context.js';
import { asObject, ControlError, onlyKnownKeys } from '../control/errors.js';
import type { SandboxInfo } from '../control/sandboxes.js';
import { publicBaseUrl } from '../http/base-url.js';
import { sendText } from '../http/respond.js';
import { param, send } from './respond.js';

/** Sandboxes are made by the main instance only; inside one these paths say so. */
export function sandboxRoutes(router: Router, ctx: MockContext): void {
  const manager = () => {
    const sandboxes = ctx.controls.sandboxes;
    if (!sandboxes)
      throw new ControlError(404, 'sandboxes are created on the main instance, not inside a sandbox');
    return sandboxes;
  };
  const withUrls = (base: string, s: SandboxInfo) => ({
    ...s,
    baseUrl: `${base}${s.basePath}`,
    adminUrl: `${base}${s.basePath}/__admin`,
  });

  router.post('/sandboxes', async (req, res) => {
    const body = asObject(req.body, 'sandbox');
    onlyKnownKeys(body, ['id', 'seed'], 'sandbox');
    const created = await manager().create(body);
    send(res, 201, withUrls(publicBaseUrl(req), created));
  });
  router.get('/sandboxes', (req, res) => {
    send(res, 200, {
      sandboxes: manager()
        .list()
        .map((s) => withUrls(publicBaseUrl(req), s)),
    });
  });
  router.get('/sandboxes/:id', (req, res) => {
    send(res, 200, withUrls(publicBaseUrl(req), manager().info(param(req, 'id'))));
  });
  router.delete('/sandboxes/:id', async (req, res) => {
    await manager().delete(param(req, 'id'));
    sendText(res, 204, null, '');
  });
}
