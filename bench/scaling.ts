/**
 * How the mock behaves as its store grows: list pages, durable creates and
 * memory at 1,000 to 100,000 records, and how fast the process starts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Figure, type LoadSettings, measure } from './load.js';
import { MOCK_READY, mockEnv, mockMain, root, type ServerProcess, startMock } from './processes.js';
import type { Row } from './report.js';
import { type Endpoint, type ProviderTarget, providerTargets, type SectionData } from './targets.js';

interface GrownStore {
  dir: string;
  list: Endpoint;
  get: Endpoint;
  /** Records in the grown collection as written. */
  records: number;
}

/** A store directory holding the provider's seed plus `count` grown records, written as the mock writes it. */
async function grownStore(target: ProviderTarget, count: number, workDir: string): Promise<GrownStore> {
  const dir = mkdtempSync(path.join(workDir, `${target.name}-${count}-`));
  const seeding = await startMock(`${target.name} seeding`, { MOCK_STORE: dir });
  let found: { list: Endpoint; get: Endpoint; getId: string };
  try {
    found = await target.discover(seeding.url);
  } finally {
    await seeding.stop();
  }
  const file = path.join(dir, `${target.name}.json`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as SectionData;
  target.grow!(data, count, found.getId);
  writeFileSync(file, JSON.stringify(data));
  return { dir, list: found.list, get: found.get, records: data.images!.length };
}

const withStore = (name: string, store: GrownStore) =>
  startMock(name, { MOCK_STORE: store.dir, MOCK_VALIDATE: 'fail' });

export interface ScalingResult {
  rows: Row[];
  /** Resident memory sampled every 250 ms while the pages are measured: the median, and the highest. */
  rssMb?: { provider: string; records: number; mb: number; max: number; samples: number };
  startMs?: number[];
  /** Store files re-read after each create run: records on disk vs acknowledged creates. */
  durability: { scenario: string; acknowledged: number; added: number; parsed: boolean; logLeft: boolean }[];
}

export async function scaling(
  settings: LoadSettings,
  workDir: string,
  registered: string[],
): Promise<ScalingResult> {
  const result: ScalingResult = { rows: [], durability: [] };
  const target = (name: string) =>
    registered.includes(name) ? providerTargets.find((t) => t.name === name) : undefined;
  const cloudmc = target('cloudmc')!;
  const glance = target('glance');

  const run = async (
    scenario: string,
    server: ServerProcess,
    endpoint: Endpoint,
    connections = settings.connections,
  ): Promise<Figure> => {
    console.error(`  ${scenario}`);
    const figure = await measure(
      { url: `${server.url}${endpoint.path}`, headers: endpoint.headers, pid: server.pid },
      { ...settings, connections },
    );
    result.rows.push({ scenario, server: 'mock, validation on', figure });
    return figure;
  };

  for (const count of [1_000, 10_000]) {
    const store = await grownStore(cloudmc, count, workDir);
    const mock = await withStore(`cloudmc @${count}`, store);
    try {
      // megabyte answers: few connections, so that requests finish inside a run
      await run(`cloudmc list, every image @${count}, 8 connections`, mock, store.list, 8);
    } finally {
      await mock.stop();
    }
  }

  for (const count of [1_000, 100_000]) {
    if (!glance) break;
    const store = await grownStore(glance, count, workDir);
    const mock = await withStore(`glance @${count}`, store);
    const rss = count === 100_000 ? sampleRss(mock) : null;
    try {
      await run(`glance list, first page @${count}`, mock, store.list);
      await run(`glance list, deep marker page @${count}`, mock, glance.deepPage!(store.list));
      if (rss) result.rssMb = { provider: 'glance', records: count, ...rss.stop() };
    } finally {
      await mock.stop();
    }
  }
  if (!result.rssMb) {
    // without Glance, the same figure for CloudMC (whose list has no pages: get-by-id instead)
    const store = await grownStore(cloudmc, 100_000, workDir);
    const mock = await withStore('cloudmc @100000', store);
    const rss = sampleRss(mock);
    await run('cloudmc get @100000', mock, store.get);
    result.rssMb = { provider: 'cloudmc', records: 100_000, ...rss.stop() };
    await mock.stop();
  }

  for (const creator of [cloudmc, glance]) {
    if (!creator?.create) continue;
    for (const count of [10_000, 100_000]) {
      const store = await grownStore(creator, count, workDir);
      const create = creator.create({ list: store.list });
      const mock = await withStore(`${creator.name} creates @${count}`, store);
      const scenario = `${creator.name} durable create (${create.path}) @${count}`;
      console.error(`  ${scenario}`);
      let figure: Figure;
      try {
        figure = await measure(
          {
            url: `${mock.url}${create.path}`,
            method: 'POST',
            headers: create.headers,
            body: create.body,
            pid: mock.pid,
          },
          settings,
        );
      } finally {
        await mock.stop();
      }
      result.rows.push({ scenario, server: 'mock, file store', figure });
      result.durability.push({ scenario, ...storeCheck(store, creator.name, figure) });
    }
  }

  result.startMs = await startTimes(cloudmc, 5);
  return result;
}

/**
 * After a create run and a clean stop the store file must parse and hold every acknowledged create, with
 * the section's change log folded into it (the mock folds it on shutdown; a log left behind is reported).
 */
function storeCheck(store: GrownStore, provider: string, figure: Figure) {
  const file = path.join(store.dir, `${provider}.json`);
  const logLeft = existsSync(`${file}.log`);
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as SectionData;
    return {
      acknowledged: figure.acknowledged,
      added: data.images!.length - store.records,
      parsed: true,
      logLeft,
    };
  } catch {
    return { acknowledged: figure.acknowledged, added: 0, parsed: false, logLeft };
  }
}

/**
 * Resident memory while the server works: one reading is wherever V8 happens to be between two full
 * collections (it moved by 80 MB between runs of the same build), so the figure is the median of readings.
 */
export function sampleRss(server: ServerProcess) {
  const readings: number[] = [];
  const timer = setInterval(() => readings.push(server.rssMb()), 250);
  return {
    stop() {
      clearInterval(timer);
      readings.push(server.rssMb());
      const sorted = [...readings].sort((a, b) => a - b);
      return { mb: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)!, samples: sorted.length };
    },
  };
}

/** Spawn to the first 200 of a provider request, at the defaults, with a fresh in-memory store each time. */
async function startTimes(cloudmc: ProviderTarget, times: number): Promise<number[]> {
  const probe = await startMock('probe', {});
  const { list } = await cloudmc.discover(probe.url);
  await probe.stop();
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, [mockMain], {
      cwd: root,
      env: mockEnv({}),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        output += c.toString();
        const m = MOCK_READY.exec(output);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`the mock exited: ${output}`)));
    });
    for (let tries = 0; tries < 400; tries++) {
      const res = await fetch(`${url}${list.path}`, { headers: list.headers }).catch(() => null);
      await res?.arrayBuffer();
      if (res?.status === 200) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    out.push(Math.round(performance.now() - t0));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  return out;
}
