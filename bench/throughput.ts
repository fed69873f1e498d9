/**
 * Requests/s of list and get-by-id for every registered provider, beside the
 * limit, the Express floor and the peers, all on the same response bytes.
 * The headline mock row runs at its defaults (log level info, journal and
 * validation on), as users run it; three more rows each change one setting.
 */
import { capacity, type LoadSettings, measureInterleaved, type Target } from './load.js';
import { type CannedAnswer, PEER_LABELS, type Peer, startPeers } from './peers.js';
import { fetchOk, type ServerProcess, startMock } from './processes.js';
import { ratio, type Row } from './report.js';
import { type Endpoint, providerTargets } from './targets.js';

export interface Measured {
  provider: string;
  kind: 'list' | 'get';
  endpoint: Endpoint;
}

/** The mock rows: the server label, and the settings it changes from the defaults. */
export const MOCK_ROWS = [
  ['mock, defaults', {}],
  ['mock, LOG_LEVEL=warn', { LOG_LEVEL: 'warn' }],
  ['mock, journal off', { MOCK_JOURNAL_SIZE: '0' }],
  ['mock, validation off', { MOCK_VALIDATE: 'off' }],
] as const satisfies readonly (readonly [string, Record<string, string>])[];

export const HEADLINE = MOCK_ROWS[0][0];

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
    for (const [name, settings] of MOCK_ROWS) mocks.push(await startMock(name, settings));
    const on = mocks[0]!;
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
          for (const other of mocks.slice(1))
            await fetchOk(`${other.url}${endpoint.path}`, { headers: endpoint.headers });
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
    peers = await startPeers(answers, workDir, skipped);

    const rows: Row[] = [];
    for (const m of measured) {
      const key = `${m.provider}-${m.kind}`;
      const size = answers.find((a) => a.key === key)!.body.length;
      const scenario = `${m.provider} ${m.kind} (${size} B)`;
      const peerRow = (p: Peer): [string, Target] => [
        PEER_LABELS[p.name],
        { url: `${p.server.url}/${key}`, pid: p.server.pid },
      ];
      const servers: [string, Target][] = [
        ...peers.filter((p) => p.name === 'bare' || p.name === 'express').map(peerRow),
        ...MOCK_ROWS.map(([name], i): [string, Target] => [
          name,
          { url: `${mocks[i]!.url}${m.endpoint.path}`, headers: m.endpoint.headers, pid: mocks[i]!.pid },
        ]),
        ...peers.filter((p) => p.name !== 'bare' && p.name !== 'express').map(peerRow),
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
