import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, testApp } from '../helpers.js';

const SCRIPT = path.join(import.meta.dirname, 'cli', 'replay_cli.py');
const hasPythonRequests = spawnSync('python3', ['-c', 'import requests']).status === 0;
const DEMO_GPU_RIG = '9cb552d9-9db3-414b-bbce-ed4dceeeb841';

interface Listing {
  status: number;
  content?: string;
  rows?: { uuid: string; registry_path: string; requires_gpu: boolean; age_seconds: number }[];
}
interface Replay {
  login: { status: number; content?: string };
  list?: Listing;
  downloaded?: Listing;
}

let server: Server;
let url: string;
const home = tempDir('iam-sharedcloud-cli-');

beforeAll(async () => {
  const { app, ctx } = await testApp();
  ctx.clock.freeze(new Date('2018-10-05T16:45:36Z'));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  home.cleanup();
});

function replay(username: string, password: string, instance: string): Promise<Replay> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SCRIPT, username, password, instance], {
      env: {
        ...process.env,
        HOME: home.dir,
        SHAREDCLOUD_CLI_URL: url,
        NO_PROXY: '127.0.0.1',
        no_proxy: '127.0.0.1',
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out) as Replay);
      else reject(new Error(`replay exited ${code}:\n${err}`));
    });
  });
}

describe.skipIf(!hasPythonRequests)(
  'the sharedcloud CLI flow (python3 + requests, as the CLI does it)',
  () => {
    it('logs in with a form post, keeps the token, lists and parses every timestamp', async () => {
      const out = await replay('demo', 'demo-password', DEMO_GPU_RIG);
      expect(out.login.status).toBe(200);
      expect(readFileSync(path.join(home.dir, '.sharedcloud', 'client_config'), 'utf8')).toBe(
        '6507c5b574a4142649e869c02c4eed085353fa75',
      );
      expect(out.list?.status).toBe(200);
      const rows = out.list!.rows!;
      expect(rows.length).toBeGreaterThan(8);
      const seed = rows.find((r) => r.uuid === '24b310f8-1405-4928-914f-d5c91272f88a');
      // 22-09-2018 00:45:50 → 05-10-2018 16:45:36
      expect(seed?.age_seconds).toBe(13 * 86400 + 15 * 3600 + 59 * 60 + 46);
      expect(out.downloaded?.rows?.map((r) => r.registry_path)).toEqual([
        'sharedcloud/standard-node8:latest',
        'sharedcloud/tensorflow-gpu-python27:latest',
        'sharedcloud/tensorflow-gpu-python36:latest',
      ]);
    });

    it('shows the DRF 400 body on a failed login, as the CLI prints it', async () => {
      const out = await replay('demo', 'wrong', DEMO_GPU_RIG);
      expect(out.login).toEqual({
        status: 400,
        content: '{"non_field_errors":["Unable to log in with provided credentials."]}',
      });
    });
  },
);
