import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { listenProblem } from '../../src/cli/listen-error.js';
import { addServerOptions } from '../../src/cli/settings-options.js';
import { settings, shownDefault } from '../../src/config.js';
import { runCli, startBuiltServer } from '../e2e/run-server.js';
import { tempDir } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A bad setting: exit 2, one line naming the flag (and the variable it came from), never a stack trace. */
async function refused(args: string[], env: Record<string, string>, message: RegExp) {
  const { code, output } = await runCli(args, { MOCK_STORE: ':memory:', ...env });
  expect(code).toBe(2);
  expect(output).toMatch(message);
  expect(output).not.toMatch(/\n\s+at /);
  return output;
}

describe('a bad setting names its flag and the accepted form', () => {
  it.each([
    [
      ['--port', 'abc'],
      /option '--port <n>' argument 'abc' is invalid\. It must be an integer from 0 to 65535\./,
    ],
    [['--port', '70000'], /'--port <n>' argument '70000' is invalid\. It must be an integer from 0 to 65535/],
    [
      ['--host', '999.1.1.1'],
      /'--host <addr>' argument '999\.1\.1\.1' is invalid\. It must be an IP address/,
    ],
    [['--host', 'bad host'], /'--host <addr>' argument 'bad host' is invalid/],
    [
      ['--log-level', 'loud'],
      /'--log-level <level>' argument 'loud' is invalid\. Allowed choices are trace, debug/,
    ],
    [['--auth', 'maybe'], /'--auth <mode>' argument 'maybe' is invalid\. Allowed choices are strict, any\./],
    [
      ['--validate', 'x'],
      /'--validate <mode>' argument 'x' is invalid\. Allowed choices are fail, warn, off\./,
    ],
    [
      ['--store', ''],
      /'--store <dir\|:memory:>' argument '' is invalid\. It must be a directory path or :memory:/,
    ],
    [
      ['--cors', 'localhost'],
      /'--cors <origins>' argument 'localhost' is invalid\. It must be off, \* or origins like/,
    ],
    [['--seed', '-3'], /'--seed <n>' argument '-3' is invalid\. It must be an integer from 0/],
    [
      ['--max-body-bytes', '0'],
      /'--max-body-bytes <n>' argument '0' is invalid\. It must be an integer from 1/,
    ],
    [['--journal-size', '1e3'], /'--journal-size <n>' argument '1e3' is invalid/],
    [['--max-sandboxes', 'many'], /'--max-sandboxes <n>' argument 'many' is invalid/],
    [
      ['--allowed-hosts', 'a b'],
      /'--allowed-hosts <list>' argument 'a b' is invalid\. It must be hosts like/,
    ],
    [
      ['--glance-import-allowed-ports', 'http'],
      /'--glance-import-allowed-ports <list>' argument 'http' is invalid/,
    ],
    [
      ['record', '--provider', 'glance', '--target', 'http://127.0.0.1:1', '--port', 'x'],
      /'--port <n>' argument 'x'/,
    ],
  ])('%j', async (args, message) => {
    await refused(args, {}, message);
  });

  it.each([
    [{ PORT: 'abc' }, /option '--port <n>' value 'abc' from env 'PORT' is invalid\. It must be an integer/],
    [{ HOST: '999.1.1.1' }, /'--host <addr>' value '999\.1\.1\.1' from env 'HOST' is invalid/],
    [{ LOG_LEVEL: 'loud' }, /'--log-level <level>' value 'loud' from env 'LOG_LEVEL' is invalid/],
    [{ MOCK_CORS: 'localhost' }, /'--cors <origins>' value 'localhost' from env 'MOCK_CORS' is invalid/],
    [{ MOCK_SEED: '-3' }, /'--seed <n>' value '-3' from env 'MOCK_SEED' is invalid/],
  ])('from the environment, %j also names the variable', async (env, message) => {
    await refused([], env, message);
  });

  it('an empty variable counts as unset', async () => {
    const server = await startBuiltServer({ LOG_LEVEL: '', MOCK_AUTH: '', HOST: '', MOCK_STORE: ':memory:' });
    cleanups.push(() => server.stop('SIGKILL'));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('an unknown flag is named, with the closest one and where to find them all', async () => {
    const output = await refused(['--prot', '80'], {}, /unknown option '--prot'/);
    expect(output).toMatch(/Did you mean --port\?/);
    expect(output).toMatch(/image-api-mocks --help lists every option/);
    await refused(['record', '--bogus'], {}, /unknown option '--bogus'[\s\S]*image-api-mocks record --help/);
  });

  it('a store path that cannot be a directory names --store', async () => {
    const { dir, cleanup } = tempDir('iam-cli-');
    cleanups.push(cleanup);
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    await refused(['--store', path.join(file, 'sub')], {}, /a-file, on its path, is a file[\s\S]*--store/);
  });
});

describe('a port or host the server cannot listen on', () => {
  const holdPort = async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    cleanups.push(() => server.close());
    return String((server.address() as net.AddressInfo).port);
  };

  it('a busy --port suggests --port 0 or another port', async () => {
    const port = await holdPort();
    await refused(
      ['--port', port],
      {},
      new RegExp(
        `^image-api-mocks: cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use \\(--port ${port}\\); pass --port 0 for any free port, or another --port\\.\\n$`,
      ),
    );
  });

  it('record says the same', async () => {
    const port = await holdPort();
    const { dir, cleanup } = tempDir('iam-cli-');
    cleanups.push(cleanup);
    const out = path.join(dir, 'recordings.jsonl');
    await refused(
      ['record', '--provider', 'glance', '--target', 'http://127.0.0.1:1', '--port', port, '--out', out],
      {},
      /the port is already in use \(--port \d+\); pass --port 0/,
    );
  });

  it('an address of no interface here names --host and the accepted form', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine
    await refused(
      ['--host', '192.0.2.1', '--port', '0'],
      {},
      /^image-api-mocks: cannot listen on 192\.0\.2\.1:0: no network interface of this machine has that address \(--host 192\.0\.2\.1\); --host must be an IP address/,
    );
  });

  it('a host name that does not resolve, from the variable or the default', () => {
    // no DNS in tests: the error Node gives for such a name, as listen() reports it
    const cmd = addServerOptions(new Command('serve'));
    cmd.parse(['--host', 'nosuch.invalid'], { from: 'user' });
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND nosuch.invalid'), { code: 'ENOTFOUND' });
    expect(listenProblem(notFound, cmd)?.message).toBe(
      'cannot listen on nosuch.invalid:8080: the host name does not resolve (--host nosuch.invalid); ' +
        '--host must be an IP address of this machine or a host name, e.g. 127.0.0.1, 0.0.0.0 (every interface), ::1 or localhost.',
    );
    const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    expect(listenProblem(inUse, cmd)?.message).toMatch(/in use \(the default --port 8080\)/);
    expect(listenProblem(new Error('other'), cmd)).toBeNull();
  });
});

describe('--help shows every default', () => {
  it('serve: each setting with its default, its variable and, where fixed, its choices', async () => {
    const { code, output } = await runCli(['serve', '--help']);
    expect(code).toBe(0);
    const flat = output.replace(/\s+/g, ' ');
    for (const s of settings) {
      expect(flat).toContain(`default: ${shownDefault(s)}`);
      expect(flat).toContain(`env: ${s.env}`);
      if (s.choices) expect(flat).toContain(`choices: ${s.choices.map((c) => `"${c}"`).join(', ')}`);
    }
    expect(flat).toContain('default: 8080, env: PORT');
    expect(flat).toContain('default: 127.0.0.1, env: HOST');
  });

  it.each([[[]], [['serve']], [['record']], [['record', 'import']], [['drift']]])(
    '%j: every option says its default or that it is required',
    async (cmd) => {
      const { code, output } = await runCli([...cmd, '--help']);
      expect(code).toBe(0);
      // one entry per option: from its flag to the next one (help wraps long descriptions)
      const options = output
        .replace(/\n {3,}/g, ' ')
        .split('\n')
        .filter((line) => /^ {2}--/.test(line));
      expect(options.length).toBeGreaterThan(0);
      for (const option of options) expect(option).toMatch(/default: |\(required\)/);
    },
  );
});
