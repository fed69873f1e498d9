import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { Clock } from './clock.js';
import type { Config } from './config.js';
import type { MockContext } from './context.js';
import { createLogger, flushLogger, type Logger } from './log.js';
import { fixturesDir, schemasDir } from './paths.js';
import { providers } from './providers/index.js';
import { instanceContext } from './instance.js';
import { Store } from './store/store.js';
import { Validator } from './validation/validator.js';

export interface RunningServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  port: number;
  ctx: MockContext;
  server: http.Server;
  /** Stops accepting, ends idle connections, waits for pending store writes. */
  close(): Promise<void>;
}

/** The main instance's context over the configured store, its control plane and sandbox manager included. */
export async function createContext(config: Config, logger?: Logger): Promise<MockContext> {
  const validator = new Validator(schemasDir);
  const log = logger ?? createLogger(config.logLevel);
  const store = await Store.open({
    location: config.store,
    sections: providers.map((p) => p.store),
    seed: config.seed,
    fixturesDir,
    warn: (message) => log.warn(message),
  });
  const parts = {
    config,
    store,
    validator,
    logger: log,
    clock: new Clock(),
  };
  return instanceContext(parts, providers);
}

/** How long a client may take, and how much header it may send (see MAX_HEADER_BYTES). */
export interface ServerLimits {
  /** Until the last header line arrived. */
  headersTimeout: number;
  /** Until the whole request (body included) arrived. */
  requestTimeout: number;
  keepAliveTimeout: number;
  /** How often Node checks the two timeouts above. */
  connectionsCheckingInterval: number;
  /** The HTTP parser's hard cap; beyond it Node answers a bare 431. */
  maxHeaderSize: number;
}

// A slow or stalled client must not hold a socket forever.
export const serverLimits: ServerLimits = {
  headersTimeout: 20_000,
  requestTimeout: 120_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
  maxHeaderSize: 64 * 1024,
};

export async function startServer(
  config: Config,
  logger?: Logger,
  limits: Partial<ServerLimits> = {},
): Promise<RunningServer> {
  const ctx = await createContext(config, logger);
  const { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval, maxHeaderSize } = {
    ...serverLimits,
    ...limits,
  };
  const server = http.createServer({ connectionsCheckingInterval, maxHeaderSize }, createApp(ctx));
  server.headersTimeout = headersTimeout;
  server.requestTimeout = requestTimeout;
  server.keepAliveTimeout = keepAliveTimeout;

  const { controls } = ctx;
  /** What the server holds besides its socket: sandboxes, snapshots, the store (and its lock). */
  const release = async () => {
    await controls.sandboxes?.close();
    controls.snapshots.close();
    await ctx.store.close();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    // a busy port must not leave the store locked by a process that is about to exit
    await release();
    throw err;
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const shownHost = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    ctx,
    server,
    close() {
      // readiness fails from here on, so a load balancer stops sending traffic
      controls.accepting = false;
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      })
        .then(release)
        .finally(() => flushLogger(ctx.logger));
      return closing;
    },
  };
}

export function banner(running: RunningServer): string {
  const { ctx, url } = running;
  const store = ctx.store.persistent
    ? ctx.store
        .sectionNames()
        .map((s) => ctx.store.fileOf(s))
        .join(', ')
    : 'in memory (nothing is kept after exit)';
  return [
    `image-api-mocks listening on ${url}`,
    `  store: ${store}`,
    `  auth: ${ctx.config.auth}   response validation: ${ctx.config.validate}   seed: ${ctx.store.seed}`,
    '',
    ...providers.flatMap((p) => p.banner(ctx, url)),
    '',
    `Console: ${url}/__admin/   health: ${url}/__admin/health   readiness: ${url}/__admin/ready`,
  ].join('\n');
}
