import { readFileSync } from 'node:fs';

/** One pre-serialised answer a peer server gives for a path. */
export interface CannedRoute {
  path: string;
  status: number;
  contentType: string;
  bodyBase64: string;
}

export interface CannedAnswer {
  status: number;
  headers: Record<string, string | number>;
  body: Buffer;
}

/** The routes file a peer server is started with: path → exact status, headers and bytes. */
export function loadCannedRoutes(file: string): Map<string, CannedAnswer> {
  const routes = JSON.parse(readFileSync(file, 'utf8')) as CannedRoute[];
  return new Map(
    routes.map((r) => {
      const body = Buffer.from(r.bodyBase64, 'base64');
      return [
        r.path,
        {
          status: r.status,
          headers: { 'Content-Type': r.contentType, 'Content-Length': body.length },
          body,
        },
      ];
    }),
  );
}

/** Peer servers print this line once they listen; the harness reads the port from it. */
export const announce = (port: number) => process.stdout.write(`listening ${port}\n`);
