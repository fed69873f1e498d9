import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { createLogger } from '../log.js';
import { fixturesDir, schemasDir } from '../paths.js';
import { providers } from '../providers/index.js';
import { importExchanges } from '../record/import.js';
import { startRecorder } from '../record/proxy.js';
import { readRecordings, RecordingFileError } from '../record/recording.js';
import { MEMORY, Store } from '../store/store.js';
import { Validator } from '../validation/validator.js';
import { listenProblem } from './listen-error.js';
import { onStopSignals } from './serve.js';
import { addServerOptions } from './settings-options.js';
import { UsageError } from './usage-error.js';

const providerNames = () => providers.map((p) => p.name);

function providerNamed(name: string) {
  const provider = providers.find((p) => p.name === name);
  if (!provider)
    throw new UsageError(`--provider must be one of ${providerNames().join(', ')}, got '${name}'`);
  return provider;
}

function urlOption(name: string, raw: string): URL {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new UsageError(`${name} must be an http(s) URL, got '${raw}'`);
}

export function recordCommand(): Command {
  const cmd = new Command('record')
    .description('forward one provider to a real service and record every exchange, credentials masked')
    .addOption(
      new Option(
        '--provider <name>',
        `which provider the target speaks (required): ${providerNames().join(', ')}`,
      ).env('MOCK_PROVIDER'),
    )
    .addOption(
      new Option('--target <url>', 'the real service: scheme, host, optional path prefix (required)').env(
        'RECORD_TARGET',
      ),
    )
    .addOption(
      new Option('--out <file>', 'recordings file, appended to (JSON Lines)')
        .default('recordings.jsonl')
        .env('RECORD_FILE'),
    )
    .addHelpText(
      'after',
      '\nPoint your client at the printed URL instead of the real service. Answers come back unchanged;\n' +
        'X-Auth-Token, X-Subject-Token, MC-Api-Key, Authorization, Cookie/Set-Cookie and passwords or\n' +
        'tokens in bodies are masked before anything is written. Then: image-api-mocks record import FILE.',
    )
    .action(
      async (flags: { provider?: string; target?: string; out: string; port: number; host: string }) => {
        if (!flags.provider) throw new UsageError('record needs --provider');
        if (!flags.target) throw new UsageError('record needs --target');
        const provider = providerNamed(flags.provider);
        const target = urlOption('--target', flags.target);
        const recorder = await startRecorder({
          provider: provider.name,
          target: target.href,
          file: flags.out,
          host: flags.host,
          port: flags.port,
        }).catch((err: unknown) => {
          throw listenProblem(err, cmd) ?? err;
        });
        // the target may carry credentials in its userinfo: never print them
        const shown = `${target.protocol}//${target.host}${target.pathname}`;
        process.stderr.write(
          `image-api-mocks recording ${provider.name}: ${recorder.url} -> ${shown}\n  exchanges appended to ${flags.out}\n`,
        );
        onStopSignals(createLogger('warn'), () => recorder.close());
      },
    );
  addServerOptions(cmd, ['port', 'host']);
  cmd.addCommand(importCommand());
  return cmd;
}

function importCommand(): Command {
  return new Command('import')
    .description('turn recorded images into store records (fixtures) of their provider, each schema-checked')
    .argument('<file>', 'a recordings file written by `record`')
    .addOption(
      new Option('--provider <name>', 'import only this provider (default: every provider in the file)'),
    )
    .addOption(
      new Option('--store <dir>', 'store directory to import into (serve it with --store)')
        .default('./data')
        .env('MOCK_STORE'),
    )
    .option(
      '--replace',
      'empty the collection before importing, so only the recorded images remain (default: add and update)',
    )
    .option(
      '--fixture <file>',
      'write the records as a fixture JSON file instead, for one provider (default: into the store)',
    )
    .action(
      async (
        file: string,
        flags: { provider?: string; store: string; replace?: boolean; fixture?: string },
      ) => {
        let exchanges;
        try {
          exchanges = readRecordings(file);
        } catch (err) {
          if (err instanceof RecordingFileError) throw new UsageError(err.message);
          throw err;
        }
        const names = flags.provider
          ? [providerNamed(flags.provider).name]
          : [...new Set(exchanges.map((e) => e.provider))].filter((n) => providerNames().includes(n));
        if (names.length === 0) throw new UsageError(`${file} holds no exchange of a known provider`);
        if (flags.fixture && names.length > 1)
          throw new UsageError('--fixture takes one provider: add --provider');
        if (!flags.fixture && flags.store === MEMORY)
          throw new UsageError('--store must be a directory to import into');

        const validator = new Validator(schemasDir);
        const store = flags.fixture
          ? await Store.open({
              location: MEMORY,
              sections: providers.map((p) => p.store),
              seed: 42,
              fixturesDir,
            })
          : await Store.open({
              location: flags.store,
              sections: providers.map((p) => p.store),
              seed: 42,
              fixturesDir,
            });
        try {
          for (const name of names) {
            const adapter = await providerNamed(name).importAdapter();
            const result = importExchanges(
              exchanges,
              adapter,
              providerNamed(name),
              validator,
              store.data(name),
            );
            for (const bad of result.invalid)
              process.stderr.write(`  not imported: ${name} ${bad.id}: ${bad.reason}\n`);
            if (flags.fixture) {
              writeFileSync(
                flags.fixture,
                `${JSON.stringify({ [adapter.collection]: result.records }, null, 2)}\n`,
              );
              process.stdout.write(
                `${result.records.length} ${name} ${adapter.collection} written to ${flags.fixture}\n`,
              );
              continue;
            }
            // same id replaces the stored record where it stands, a new one is appended
            const collection = store.collection(name, adapter.collection);
            if (flags.replace) await collection.replaceAll(result.records);
            else await Promise.all(result.records.map((record) => collection.upsert(record)));
            process.stdout.write(
              `${result.records.length} ${name} ${adapter.collection} imported into ${store.fileOf(name)}` +
                (result.invalid.length ? ` (${result.invalid.length} refused)` : '') +
                '\n',
            );
          }
        } finally {
          await store.close();
        }
      },
    );
}
