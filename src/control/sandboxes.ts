import type { RequestHandler } from 'express';
import { Clock } from '../clock.js';
import type { InstanceParts, MockContext } from '../context.js';
import { basePath } from '../http/base-url.js';
import { sendText } from '../http/respond.js';
import { fixturesDir } from '../paths.js';
import type { Provider } from '../providers/provider.js';
import { MEMORY, Store } from '../store/store.js';
import type { Instance } from '../instance.js';
import { badRequest, ControlError, notFound } from './errors.js';

export const SANDBOX_PREFIX = '/__sandbox';
/** A sandbox nobody has used for this long may make room for a new one when the limit is reached. */
export const IDLE_EVICTION_MS = 30 * 60_000;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface SandboxInfo {
  id: string;
  /** Path in front of every provider path of this sandbox (append to the server's URL). */
  basePath: string;
  seed: number;
  createdAt: string;
  lastUsedAt: string;
}

export interface Sandbox extends Instance {
  id: string;
  createdAt: number;
  lastUsed: number;
}

/** Builds the whole instance a sandbox is (createInstance, passed in to keep this module free of the routers). */
export type InstanceFactory = (parts: InstanceParts, sandbox: string) => Instance;

/**
 * Isolated copies of the whole mock behind `/__sandbox/<id>`: each has its
 * own in-memory store seeded from the fixtures, its own clock, journal,
 * faults and snapshots, and the same providers and admin API. A client that
 * can only change its base URL works unchanged inside one.
 */
export class SandboxManager {
  private readonly sandboxes = new Map<string, Sandbox>();
  private counter = 0;

  constructor(
    private readonly root: MockContext,
    private readonly providers: readonly Provider[],
    private readonly createInstance: InstanceFactory,
  ) {}

  async create(options: { id?: unknown; seed?: unknown } = {}): Promise<SandboxInfo> {
    const id = options.id === undefined ? this.freshId() : options.id;
    if (typeof id !== 'string' || !ID.test(id)) {
      throw badRequest("id: 1-64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    const seed = options.seed ?? this.root.store.seed;
    if (!Number.isInteger(seed) || (seed as number) < 0)
      throw badRequest('seed: must be a non-negative integer');
    this.makeRoom(id);
    const store = await Store.open({
      location: MEMORY,
      sections: this.providers.map((p) => p.store),
      seed: seed as number,
      fixturesDir,
    });
    if (this.sandboxes.has(id)) {
      await store.close();
      throw new ControlError(409, `a sandbox '${id}' already exists`);
    }
    const parts: InstanceParts = {
      config: this.root.config,
      validator: this.root.validator,
      logger: this.root.logger.child({ sandbox: id }),
      clock: new Clock(),
      store,
    };
    const now = Date.now();
    const sandbox: Sandbox = { id, ...this.createInstance(parts, id), createdAt: now, lastUsed: now };
    this.sandboxes.set(id, sandbox);
    return info(sandbox);
  }

  list(): SandboxInfo[] {
    return [...this.sandboxes.values()].map(info);
  }

  get(id: string): Sandbox {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) throw notFound(`no sandbox '${id}'`);
    return sandbox;
  }

  info(id: string): SandboxInfo {
    return info(this.get(id));
  }

  async delete(id: string): Promise<void> {
    const sandbox = this.get(id);
    this.sandboxes.delete(id);
    await dispose(sandbox);
  }

  async close(): Promise<void> {
    const all = [...this.sandboxes.values()];
    this.sandboxes.clear();
    await Promise.all(all.map(dispose));
  }

  /** Routes `/__sandbox/<id>/...` to the sandbox's own router, with the prefix as its base path. */
  dispatch(): RequestHandler {
    return (req, res, next) => {
      const id = (req.params as { sandbox?: string }).sandbox ?? '';
      const sandbox = this.sandboxes.get(id);
      if (!sandbox) {
        sendText(res, 404, 'application/json', JSON.stringify({ error: `no sandbox '${id}'` }));
        return;
      }
      sandbox.lastUsed = Date.now();
      res.locals.basePath = `${basePath(res)}${SANDBOX_PREFIX}/${id}`;
      res.locals.sandbox = id;
      sandbox.router(req, res, next);
    };
  }

  private freshId(): string {
    let id: string;
    do id = `sb${++this.counter}`;
    while (this.sandboxes.has(id));
    return id;
  }

  private makeRoom(id: string): void {
    if (this.sandboxes.has(id)) throw new ControlError(409, `a sandbox '${id}' already exists`);
    const limit = this.root.config.maxSandboxes;
    if (this.sandboxes.size < limit) return;
    const idle = [...this.sandboxes.values()]
      .filter((s) => Date.now() - s.lastUsed > IDLE_EVICTION_MS)
      .sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (!idle) {
      throw new ControlError(
        409,
        `sandbox limit reached (${limit}, MOCK_MAX_SANDBOXES): delete one (DELETE /__admin/sandboxes/<id>) first`,
      );
    }
    this.sandboxes.delete(idle.id);
    void dispose(idle);
  }
}

async function dispose(sandbox: Sandbox): Promise<void> {
  sandbox.controls.snapshots.close();
  await sandbox.ctx.store.close();
}

const info = (s: Sandbox): SandboxInfo => ({
  id: s.id,
  basePath: `${SANDBOX_PREFIX}/${s.id}`,
  seed: s.ctx.store.seed,
  createdAt: new Date(s.createdAt).toISOString(),
  lastUsedAt: new Date(s.lastUsed).toISOString(),
});
