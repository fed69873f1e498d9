import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../../src/index.js';
import { startRecorder } from '../../src/record/proxy.js';
import { readRecordings } from '../../src/record/recording.js';
import type { RunningServer } from '../../src/server.js';
import { collectOutput, mainJs } from '../e2e/run-server.js';
import { tempDir } from '../helpers.js';

let upstream: RunningServer;
let recorder: ChildProcess;
let proxy: string;
let file: string;
let cleanup: () => void;

/** The built CLI's `record`, in front of a mock standing in for the real service. */
beforeAll(async () => {
  upstream = await startMockServer();
  const t = tempDir('iam-proxy-');
  cleanup = t.cleanup;
  file = path.join(t.dir, 'rec.jsonl');
  recorder = spawn(
    process.execPath,
    [mainJs, 'record', '--provider', 'glance', '--target', upstream.url, '--port', '0', '--out', file],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = collectOutput(recorder);
  for (let i = 0; i < 200 && !proxy; i++) {
    proxy = /recording glance: (http:\/\/\S+)/.exec(output())?.[1] ?? '';
    if (!proxy) await new Promise((r) => setTimeout(r, 50));
  }
  if (!proxy) throw new Error(`record did not start:\n${output()}`);
});

afterAll(async () => {
  const exited = new Promise((r) => recorder.once('exit', r));
  recorder.kill('SIGTERM');
  await exited;
  await upstream.close();
  cleanup();
});

/** The recorder appends an exchange once its answer has ended, just after the client has it: wait for it, bounded. */
async function recorded(count: number) {
  for (let i = 0; i < 100; i++) {
    const exchanges = readRecordings(file);
    if (exchanges.length >= count) return exchanges;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${count} exchanges recorded`);
}

describe('record (the forwarding proxy)', () => {
  it('streams image data both ways unchanged, chunked uploads included', async () => {
    const headers = { 'X-Auth-Token': 'user-token', 'Content-Type': 'application/json' };
    const created = await fetch(`${proxy}/v2/images`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'via-proxy', disk_format: 'raw', container_format: 'bare' }),
    });
    expect(created.status).toBe(201);
    // the Location header is the real service's, untouched
    const { id } = (await created.json()) as { id: string };
    expect(created.headers.get('location')).toBe(`${upstream.url}/v2/images/${id}`);

    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    function* chunks() {
      for (let at = 0; at < data.length; at += 256 * 1024) yield data.subarray(at, at + 256 * 1024);
    }
    const put = await fetch(`${proxy}/v2/images/${id}/file`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'user-token', 'Content-Type': 'application/octet-stream' },
      body: ReadableStream.from(chunks()),
      duplex: 'half',
    });
    expect(put.status).toBe(204);
    const got = await fetch(`${proxy}/v2/images/${id}/file`, { headers: { 'X-Auth-Token': 'user-token' } });
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(bytes.equals(data)).toBe(true);
    expect(got.headers.get('content-md5')).toBe(createHash('md5').update(data).digest('hex'));

    // large bodies are kept in the recording only as size and digest
    const download = (await recorded(3)).find(
      (e) => e.request.method === 'GET' && e.request.path.endsWith('/file'),
    );
    expect(download?.response.body).toEqual({
      encoding: 'omitted',
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  });

  it('writes no secret: tokens, passwords, issued tokens and login answers are masked', async () => {
    const keystone = await fetch(`${proxy}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } },
          },
          scope: { project: { name: 'demo', domain: { id: 'default' } } },
        },
      }),
    });
    expect(keystone.status).toBe(201);
    const issued = keystone.headers.get('x-subject-token')!;
    expect(issued).toBeTruthy();
    const list = await fetch(`${proxy}/v2/images`, { headers: { 'X-Auth-Token': issued } });
    expect(list.status).toBe(200);
    const cookie = await fetch(`${proxy}/v2/images`, {
      headers: { 'X-Auth-Token': 'other-token', Cookie: 'session=cookie-secret-42' },
    });
    expect(cookie.status).toBe(200);

    const exchanges = await recorded(6);
    const text = readFileSync(file, 'utf8');
    for (const secret of ['user-token', 'other-token', 'demo-secret', issued, 'cookie-secret-42']) {
      expect(text).not.toContain(secret);
    }
    const auth = exchanges.find((e) => e.request.path === '/v3/auth/tokens')!;
    expect(auth.response.headers['x-subject-token']).toBe('***');
    expect(auth.request.body?.encoding === 'utf8' && auth.request.body.text).toContain('"password":"***"');
    expect(exchanges.every((e) => e.provider === 'glance')).toBe(true);
  });
});

describe('record: form, multipart and query-string credentials', () => {
  it('masks the password of a form and a multipart login, the token they answer, and ?password=', async () => {
    const form = await fetch(`${proxy}/api/v1/api-token-auth/?attempt=form`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'username=demo&password=demo-password',
    });
    expect(form.status).toBe(200);
    const { token } = (await form.json()) as { token: string };
    const parts = new FormData();
    parts.set('username', 'demo');
    parts.set('password', 'demo-password');
    const multipart = await fetch(`${proxy}/api/v1/api-token-auth/?attempt=multipart`, {
      method: 'POST',
      body: parts,
    });
    expect(multipart.status).toBe(200);
    await fetch(`${proxy}/api/v1/images/?password=query-secret-77`);

    let exchanges = readRecordings(file);
    for (
      let i = 0;
      i < 100 &&
      !exchanges.some(
        (e) => e.request.path.includes('query-secret') || e.request.path.includes('password=***'),
      );
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
      exchanges = readRecordings(file);
    }
    const text = readFileSync(file, 'utf8');
    for (const secret of ['demo-password', token, 'query-secret-77']) expect(text).not.toContain(secret);
    const body = (attempt: string) => {
      const e = exchanges.find((x) => x.request.path.endsWith(`attempt=${attempt}`))!;
      return e.request.body?.encoding === 'utf8' ? e.request.body.text : null;
    };
    expect(body('form')).toBe('username=demo&password=***');
    expect(body('multipart')).toMatch(/name="password"\r\n\r\n\*\*\*\r\n/);
  });
});

describe('record when the real service is down', () => {
  it('answers 502 naming the target, and records nothing', async () => {
    const t = tempDir('iam-proxy-down-');
    const out = path.join(t.dir, 'rec.jsonl');
    const down = await startRecorder({ provider: 'cloudmc', target: 'http://127.0.0.1:1', file: out });
    try {
      const res = await fetch(`${down.url}/api/v1/services/stackpath/test-area/images`);
      expect(res.status).toBe(502);
      expect(await res.text()).toMatch(/^image-api-mocks record: cannot reach http:\/\/127\.0\.0\.1:1: /);
    } finally {
      await down.close();
    }
    expect(readFileSync(out, 'utf8')).toBe('');
    t.cleanup();
  });
});
