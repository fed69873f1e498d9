import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Response, Router } from 'express';
import type { MockContext } from '../context.js';
import { notFound } from '../control/errors.js';
import { openApiDocument } from '../control/openapi.js';
import { publicBaseUrl } from '../http/base-url.js';
import { sendText } from '../http/respond.js';
import { packageRoot } from '../paths.js';
import type { Provider } from '../providers/provider.js';
import { param, send } from './respond.js';

const consoleDir = path.join(packageRoot, 'public', 'console');
/** The console's files besides its page, each with its type: the admin token guards none of them. */
export const CONSOLE_FILES: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'entry.js': 'text/javascript; charset=utf-8',
  'store.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

const version = (): string =>
  (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The generated OpenAPI documents and the web console (plain files, no build step). */
export function docsRoutes(router: Router, ctx: MockContext, providers: readonly Provider[]): void {
  const pkgVersion = version();
  const find = (name: string) => {
    const provider = providers.find((p) => p.name === name.replace(/\.json$/, ''));
    if (!provider) throw notFound(`no provider '${name.replace(/\.json$/, '')}'`);
    return provider;
  };

  router.get('/openapi', (req, res) => {
    const base = publicBaseUrl(req);
    send(res, 200, {
      documents: providers.map((p) => ({
        provider: p.name,
        title: p.title,
        url: `${base}/__admin/openapi/${p.name}.json`,
      })),
    });
  });
  router.get('/openapi/:provider', (req, res) => {
    const doc = openApiDocument(ctx, find(param(req, 'provider')), publicBaseUrl(req), pkgVersion);
    sendText(res, 200, 'application/json', JSON.stringify(doc, null, 2));
  });

  const page = (res: Response) =>
    sendText(
      res,
      200,
      'text/html; charset=utf-8',
      readFileSync(path.join(consoleDir, 'index.html'), 'utf8'),
      {
        'Cache-Control': 'no-store',
      },
    );
  router.get('/', (req, res) => {
    // relative links in the page resolve against a trailing slash
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) {
      sendText(res, 308, null, '', { Location: `${req.originalUrl.split('?')[0]}/` });
      return;
    }
    page(res);
  });
  router.get('/console/:file', (req, res) => {
    const file = param(req, 'file');
    const type = Object.hasOwn(CONSOLE_FILES, file) ? CONSOLE_FILES[file] : undefined;
    if (!type) throw notFound(`no console file '${file}'`);
    sendText(res, 200, type, readFileSync(path.join(consoleDir, file), 'utf8'), {
      'Cache-Control': 'no-store',
    });
  });
}
