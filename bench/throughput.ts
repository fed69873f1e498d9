/**
 * Requests/s of list and get-by-id for every registered provider, beside the
 * limit, the Express floor and the peers, all on the same response bytes.
 */
import { capacity, type LoadSettings, measureInterleaved, type Target } from './load.js';
import { type CannedAnswer, type Peer, startPeers } from './peers.js';
import { fetchOk, type ServerProcess, startMock } from './processes.js';
import { ratio, type Row } from './report.js';
import { type Endpoint, providerTargets } from './targets.js';

export interface Measured {
  provider: string;
  kind: 'list' | 'get';
  endpoint: Endpoint;
}

export async function registeredProviders(mockUrl: string): Promise<string[]> {
  const { text } = await fetchOk(`${mockUrl}/__admin/providers`);
  return (JSON.parse(text) as { name: string }[]).map((p) => p.name);
}

export async function throughput(
  settings: LoadSettings,
  workDir: string,
  skipped: Record<string, string>,
): Promise<Row[]> {
  const mocks: ServerProcess[] = [];
  let peers: Peer[] = [];
  try {
    const on = await startMock('mock (validation on)', { MOCK_VALIDATE: 'fail' });
    mocks.push(on);
    const off = await startMock('mock (validation off)', { MOCK_VALIDATE: 'off' });
    mocks.push(off);
    // the request journal is on by default; this shows what answering costs without it
    const lean = await startMock('mock (journal off)', { MOCK_VALIDATE: 'fail', MOCK_JOURNAL_SIZE: '0' });
    mocks.push(lean);
    const registered = await registeredProviders(on.url);

    const measured: Measured[] = [];
    const answers: CannedAnswer[] = [];
    for (const target of providerTargets) {
      if (!registered.includes(target.name)) {
        skipped[target.name] = 'not registered in src/providers/index.ts';
        continue;
      }
      try {
        const { list, get } = await target.discover(on.url);
        for (const [kind, endpoint] of [
          ['list', list],
          ['get', get],
        ] as const) {
          const { body, contentType } = await fetchOk(`${on.url}${endpoint.path}`, {
            headers: endpoint.headers,
          });
          await fetchOk(`${off.url}${endpoint.path}`, { headers: endpoint.headers });
          measured.push({ provider: target.name, kind, endpoint });
          answers.push({ key: `${target.name}-${kind}`, contentType, body });
        }
      } catch (err) {
        skipped[target.name] = `cannot be driven yet: ${(err as Error).message}`;
      }
    }
    console.error(
      `measuring ${measured.map((m) => `${m.provider} ${m.kind}`).join(', ')}; starting the peers`,
    );
    peers = await startPeers(answers, workDir);
    const peer = (name: Peer['name']) => peers.find((p) => p.name === name)!.server;

    const rows: Row[] = [];
    for (const m of measured) {
      const key = `${m.provider}-${m.kind}`;
      const size = answers.find((a) => a.key === key)!.body.length;
      const scenario = `${m.provider} ${m.kind} (${size} B)`;
      const servers: [string, Target][] = [
        ['bare node:http', { url: `${peer('bare').url}/${key}`, pid: peer('bare').pid }],
        ['express floor', { url: `${peer('express').url}/${key}`, pid: peer('express').pid }],
        [
          'mock, validation on',
          { url: `${on.url}${m.endpoint.path}`, headers: m.endpoint.headers, pid: on.pid },
        ],
        [
          'mock, validation off',
          { url: `${off.url}${m.endpoint.path}`, headers: m.endpoint.headers, pid: off.pid },
        ],
        [
          'mock, validation on, journal off',
          { url: `${lean.url}${m.endpoint.path}`, headers: m.endpoint.headers, pid: lean.pid },
        ],
        ['json-server 0.17', { url: `${peer('json-server').url}/${key}`, pid: peer('json-server').pid }],
        ['prism 5', { url: `${peer('prism').url}/${key}`, pid: peer('prism').pid }],
      ];
      console.error(`  ${scenario}: ${servers.map(([name]) => name).join(', ')} in turns`);
      const figures = await measureInterleaved(
        servers.map(([, target]) => target),
        settings,
      );
      const group: Row[] = servers.map(([server], i) => ({ scenario, server, figure: figures[i]! }));
      const bare = capacity(group[0]!.figure);
      const floor = capacity(group[1]!.figure);
      for (const row of group) {
        row.vsBare = ratio(capacity(row.figure), bare);
        row.vsExpress = ratio(capacity(row.figure), floor);
      }
      rows.push(...group);
    }
    return rows;
  } finally {
    await Promise.all([...mocks, ...peers.map((p) => p.server)].map((s) => s.stop()));
  }
}
