/**
 * The same answers, served by the limit (bare node:http), the floor
 * (minimal Express 5) and the peers a user would pick instead (json-server,
 * Prism). Each is one child process serving every canned answer, each at
 * `/<key>`.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { CannedRoute } from './peers/routes.js';
import { buildDir, fetchOk, root, type ServerProcess, startProcess } from './processes.js';

export interface CannedAnswer {
  /** `cloudmc-list` ...: the peer path is `/<key>`. */
  key: string;
  contentType: string;
  body: Buffer;
}

export type PeerName = 'bare' | 'express' | 'json-server' | 'prism';

export interface Peer {
  name: PeerName;
  server: ServerProcess;
}

const LISTENING = /listening (\d+)/;

export async function startPeers(answers: CannedAnswer[], workDir: string): Promise<Peer[]> {
  const routesFile = path.join(workDir, 'canned-routes.json');
  const routes: CannedRoute[] = answers.map((a) => ({
    path: `/${a.key}`,
    status: 200,
    contentType: a.contentType,
    bodyBase64: a.body.toString('base64'),
  }));
  writeFileSync(routesFile, JSON.stringify(routes));
  const peers: Peer[] = [];
  const node = (script: string) => [path.join(buildDir, 'peers', script), routesFile];
  peers.push({
    name: 'bare',
    server: await startProcess('bare node:http', process.execPath, node('bare-server.js'), {
      ready: LISTENING,
    }),
  });
  peers.push({
    name: 'express',
    server: await startProcess('express floor', process.execPath, node('express-server.js'), {
      ready: LISTENING,
    }),
  });
  peers.push({ name: 'json-server', server: await startJsonServer(answers, workDir) });
  peers.push({ name: 'prism', server: await startPrism(answers, workDir) });
  // every peer must answer every key with the same JSON before it is measured
  for (const peer of peers) {
    for (const a of answers) {
      const { text } = await fetchOk(`${peer.server.url}/${a.key}`);
      if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(JSON.parse(a.body.toString())))
        throw new Error(`${peer.name} answers /${a.key} with other JSON than the mock`);
    }
  }
  return peers;
}

/** json-server 0.17: every answer is a resource of one db file (objects as singular resources, arrays as collections). */
async function startJsonServer(answers: CannedAnswer[], workDir: string): Promise<ServerProcess> {
  const dbFile = path.join(workDir, 'json-server-db.json');
  writeFileSync(
    dbFile,
    JSON.stringify(Object.fromEntries(answers.map((a) => [a.key, JSON.parse(a.body.toString())]))),
  );
  const port = await freePort();
  const bin = path.join(root, 'node_modules/json-server/lib/cli/bin.js');
  return startProcess(
    'json-server',
    process.execPath,
    [bin, '--quiet', '--host', '127.0.0.1', '--port', String(port), dbFile],
    { probe: `http://127.0.0.1:${port}/${answers[0]!.key}` },
  );
}

/** Prism 5: an OpenAPI 3 document whose only content is each answer as the example of a 200. */
async function startPrism(answers: CannedAnswer[], workDir: string): Promise<ServerProcess> {
  const doc = {
    openapi: '3.0.3',
    info: { title: 'image-api-mocks benchmark answers', version: '1' },
    paths: Object.fromEntries(
      answers.map((a) => [
        `/${a.key}`,
        {
          get: {
            responses: {
              200: {
                description: 'the mock answer',
                content: { 'application/json': { example: JSON.parse(a.body.toString()) as unknown } },
              },
            },
          },
        },
      ]),
    ),
  };
  const docFile = path.join(workDir, 'prism-openapi.json');
  writeFileSync(docFile, JSON.stringify(doc));
  const port = await freePort();
  const bin = path.join(root, 'node_modules/@stoplight/prism-cli/dist/index.js');
  return startProcess(
    'prism',
    process.execPath,
    [bin, 'mock', '--host', '127.0.0.1', '--port', String(port), '--verboseLevel', 'warn', docFile],
    { probe: `http://127.0.0.1:${port}/${answers[0]!.key}` },
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
