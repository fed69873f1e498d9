import express, { type NextFunction, type Request, type Response } from 'express';
import type { MockContext } from '../context.js';
import { frameworkFailure } from '../http/api-error.js';
import { sendText } from '../http/respond.js';
import { type CollectionRules, type Provider, RecordError } from '../providers/provider.js';

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const send = (res: Response, status: number, body: unknown) =>
  sendText(res, status, 'application/json', JSON.stringify(body));

/**
 * The mock's own control API: health, reset, and direct access to every
 * provider's collections so a test can arrange exactly the state it needs.
 */
export function adminRouter(ctx: MockContext, providers: readonly Provider[]) {
  const router = express.Router();
  const startedAt = Date.now();
  router.use(express.json({ limit: ctx.config.maxBodyBytes, strict: false }));

  router.get('/health', (_req, res) => {
    send(res, 200, {
      status: 'ok',
      ready: true,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      providers: providers.map((p) => p.name),
      store: ctx.store.persistent ? 'file' : 'memory',
    });
  });

  router.post('/reset', async (req, res) => {
    const body = (req.body ?? {}) as { seed?: unknown; providers?: unknown };
    if (typeof body !== 'object' || Array.isArray(body))
      throw new AdminError(400, 'body must be a JSON object');
    const seed = body.seed ?? ctx.store.seed;
    if (!Number.isInteger(seed) || (seed as number) < 0)
      throw new AdminError(400, 'seed: must be a non-negative integer');
    const names = body.providers ?? providers.map((p) => p.name);
    if (!Array.isArray(names) || names.some((n) => !providers.some((p) => p.name === n))) {
      throw new AdminError(
        400,
        `providers: must list provider names (${providers.map((p) => p.name).join(', ')})`,
      );
    }
    await ctx.store.reset(seed as number, names as string[]);
    send(res, 200, { status: 'reset', seed, providers: names });
  });

  router.get('/providers', (_req, res) => {
    send(
      res,
      200,
      providers.map((p) => ({
        name: p.name,
        title: p.title,
        mountPaths: p.mountPaths,
        collections: Object.keys(p.collections),
      })),
    );
  });

  const target = (req: Request) => {
    const { provider: name, collection } = req.params as { provider: string; collection: string };
    const provider = providers.find((p) => p.name === name);
    if (!provider) throw new AdminError(404, `no provider '${name}'`);
    const rules = provider.collections[collection];
    if (!rules) throw new AdminError(404, `provider '${name}' has no collection '${collection}'`);
    const records = ctx.store.data(provider.name)[collection] as Record<string, unknown>[];
    return { provider, rules, records };
  };

  router.get('/store/:provider/:collection', (req, res) => {
    send(res, 200, { records: target(req).records });
  });

  router.post('/store/:provider/:collection', async (req, res) => {
    const { provider, rules, records } = target(req);
    const inputs = Array.isArray(req.body) ? req.body : [req.body];
    const prepared = inputs.map((input, i) =>
      prepareRecord(ctx, rules, input, inputs.length > 1 ? `[${i}] ` : ''),
    );
    const ids = new Set(records.map((r) => rules.id(r)));
    for (const record of prepared) {
      const id = rules.id(record);
      if (ids.has(id)) throw new AdminError(409, `a record with id '${id}' already exists`);
      ids.add(id);
    }
    records.push(...prepared);
    await ctx.store.commit(provider.name);
    send(res, 201, { records: prepared });
  });

  const findIndex = (req: Request) => {
    const { provider, rules, records } = target(req);
    const id = (req.params as unknown as { id: string[] }).id.join('/');
    const index = records.findIndex((r) => rules.id(r) === id);
    if (index < 0) throw new AdminError(404, `no record with id '${id}'`);
    return { provider, records, index };
  };

  router.get('/store/:provider/:collection/*id', (req, res) => {
    const { records, index } = findIndex(req);
    send(res, 200, records[index]);
  });

  router.delete('/store/:provider/:collection/*id', async (req, res) => {
    const { provider, records, index } = findIndex(req);
    records.splice(index, 1);
    await ctx.store.commit(provider.name);
    sendText(res, 204, null, '');
  });

  router.use((req: Request) => {
    throw new AdminError(404, `no admin endpoint ${req.method} ${req.baseUrl}${req.path}`);
  });

  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AdminError) return send(res, err.status, { error: err.message });
    const kind = frameworkFailure(err);
    if (kind === 'malformed-json') return send(res, 400, { error: 'body is not valid JSON' });
    if (kind === 'body-too-large') return send(res, 413, { error: 'body too large' });
    if (kind) return send(res, 400, { error: `bad request (${kind})` });
    ctx.logger.error({ err, path: req.originalUrl }, 'unexpected error in the admin API');
    send(res, 500, { error: 'internal error in the mock' });
  });
  return router;
}

/** Unknown fields, then derived fields, then the schema: each failure names the field. */
function prepareRecord(ctx: MockContext, rules: CollectionRules, input: unknown, where: string) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AdminError(400, `${where}a record must be a JSON object`);
  }
  const schema = ctx.validator.schema(rules.schema) as { properties?: Record<string, unknown> };
  const known = Object.keys(schema.properties ?? {});
  const unknown = Object.keys(input).find((k) => !known.includes(k));
  if (unknown !== undefined) throw new AdminError(400, `${where}${unknown}: unknown field`);
  let record: Record<string, unknown>;
  try {
    record = rules.prepare
      ? rules.prepare(input as Record<string, unknown>, ctx)
      : (input as Record<string, unknown>);
  } catch (err) {
    if (err instanceof RecordError) throw new AdminError(400, `${where}${err.message}`);
    throw err;
  }
  const issues = ctx.validator.check(rules.schema, record);
  if (issues) {
    const first = issues[0]!;
    throw new AdminError(400, `${where}${first.path.replace(/^\//, '') || 'record'}: ${first.message}`);
  }
  return record;
}
