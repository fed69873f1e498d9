/**
 * The same answers, served by the limit (bare node:http), the floor
 * (minimal Express 5) and the peers a user would pick instead (json-server,
 * Prism, WireMock, Mockoon CLI). Each is one child process serving every
 * canned answer, each at `/<key>`, at its own defaults otherwise. A peer
 * whose package (or Java, for WireMock) is not installed is skipped with the
 * reason; the others are measured all the same.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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

export type PeerName = 'bare' | 'express' | 'json-server' | 'prism' | 'wiremock' | 'mockoon';

export interface Peer {
  name: PeerName;
  server: ServerProcess;
}

const LISTENING = /listening (\d+)/;

/** Versions the benchmark was written against (dev dependencies when installed; see docs/performance.md). */
export const PEER_LABELS: Record<PeerName, string> = {
  bare: 'bare node:http',
  express: 'express floor',
  'json-server': 'json-server 0.17',
  prism: 'prism 5',
  wiremock: 'wiremock 3',
  mockoon: 'mockoon cli 9',
};

/**
 * A file of an optional package: in this project's node_modules, or in a
 * node_modules folder named by `BENCH_PEER_MODULES` (colon-separated), for
 * peers installed beside the project rather than in it.
 */
function optionalModuleFile(pkg: string, file: string): string | null {
  const dirs = [
    path.join(root, 'node_modules'),
    ...(process.env.BENCH_PEER_MODULES ?? '').split(':').filter(Boolean),
  ];
  for (const dir of dirs) {
    const candidate = path.join(path.resolve(dir), pkg, file);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export async function startPeers(
  answers: CannedAnswer[],
  workDir: string,
  skipped: Record<string, string>,
): Promise<Peer[]> {
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
  for (const [name, start] of [
    ['wiremock', startWireMock],
    ['mockoon', startMockoon],
  ] as const) {
    const started = await start(answers, workDir);
    if (typeof started === 'string') skipped[PEER_LABELS[name]] = started;
    else peers.push({ name, server: started });
  }
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

const WIREMOCK_JAR = 'build/wiremock-standalone-3.13.2.jar';

/**
 * WireMock 3 (the `wiremock` npm package ships the standalone jar; it needs
 * a Java runtime): one stub mapping per answer, its bytes as the base64 body.
 */
async function startWireMock(answers: CannedAnswer[], workDir: string): Promise<ServerProcess | string> {
  const jar = optionalModuleFile('wiremock', WIREMOCK_JAR);
  if (!jar) return `the wiremock dev dependency is not installed (npm ci; it ships ${WIREMOCK_JAR})`;
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0)
    return 'no Java runtime on PATH (Debian: apt-get install openjdk-17-jre-headless)';
  const dir = path.join(workDir, 'wiremock');
  mkdirSync(path.join(dir, 'mappings'), { recursive: true });
  mkdirSync(path.join(dir, '__files'), { recursive: true });
  writeFileSync(
    path.join(dir, 'mappings', 'answers.json'),
    JSON.stringify({
      mappings: answers.map((a) => ({
        request: { method: 'GET', url: `/${a.key}` },
        response: {
          status: 200,
          headers: { 'Content-Type': a.contentType },
          base64Body: a.body.toString('base64'),
        },
      })),
    }),
  );
  const port = await freePort();
  return startProcess(
    'wiremock',
    'java',
    [
      '-jar',
      jar,
      '--port',
      String(port),
      '--bind-address',
      '127.0.0.1',
      '--root-dir',
      dir,
      '--disable-banner',
    ],
    { probe: `http://127.0.0.1:${port}/${answers[0]!.key}` },
  );
}

/** Mockoon's environment format version that @mockoon/cli 9.9 reads without migrating. */
const MOCKOON_MIGRATION = 33;

/**
 * Mockoon CLI 9: one environment, one route per answer with its body inline
 * (templating off, so the bytes are sent as they are), logging as it does
 * by default to stdout but not to a file in the home directory.
 */
async function startMockoon(answers: CannedAnswer[], workDir: string): Promise<ServerProcess | string> {
  const bin = optionalModuleFile('@mockoon/cli', 'bin/run.js');
  if (!bin) return 'the @mockoon/cli dev dependency is not installed (npm ci)';
  const port = await freePort();
  const routes = answers.map((a) => ({
    uuid: randomUUID(),
    type: 'http',
    documentation: '',
    method: 'get',
    endpoint: a.key,
    responses: [
      {
        uuid: randomUUID(),
        body: a.body.toString('utf8'),
        latency: 0,
        statusCode: 200,
        label: '',
        headers: [{ key: 'Content-Type', value: a.contentType }],
        bodyType: 'INLINE',
        filePath: '',
        databucketID: '',
        sendFileAsBody: false,
        rules: [],
        rulesOperator: 'OR',
        disableTemplating: true,
        fallbackTo404: false,
        default: true,
        crudKey: 'id',
        callbacks: [],
      },
    ],
    responseMode: null,
    streamingMode: null,
    streamingInterval: 0,
  }));
  const environment = {
    uuid: randomUUID(),
    lastMigration: MOCKOON_MIGRATION,
    name: 'image-api-mocks benchmark answers',
    endpointPrefix: '',
    latency: 0,
    port,
    hostname: '127.0.0.1',
    folders: [],
    routes,
    rootChildren: routes.map((r) => ({ type: 'route', uuid: r.uuid })),
    proxyMode: false,
    proxyHost: '',
    proxyRemovePrefix: false,
    tlsOptions: {
      enabled: false,
      type: 'CERT',
      pfxPath: '',
      certPath: '',
      keyPath: '',
      caPath: '',
      passphrase: '',
    },
    cors: true,
    headers: [],
    proxyReqHeaders: [],
    proxyResHeaders: [],
    data: [],
    callbacks: [],
  };
  const file = path.join(workDir, 'mockoon-environment.json');
  writeFileSync(file, JSON.stringify(environment));
  return startProcess(
    'mockoon',
    process.execPath,
    [
      bin,
      'start',
      '--data',
      file,
      '--port',
      String(port),
      '--hostname',
      '127.0.0.1',
      '--disable-log-to-file',
    ],
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
