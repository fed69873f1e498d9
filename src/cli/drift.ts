import { existsSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { driftCheck } from '../drift/check.js';
import { DeliberateFileError, loadDeliberate } from '../drift/deliberate.js';
import { ConnectionError } from '../drift/http-call.js';
import { jsonReport, junitReport, scrubSecrets, tableReport } from '../drift/report.js';
import { scenarios } from '../drift/scenarios.js';
import { UsageError } from './usage-error.js';

interface DriftFlags {
  provider?: string;
  real?: string;
  token?: string;
  mock?: string;
  mockToken?: string;
  allowWrites?: boolean;
  json?: string;
  junit?: string;
  deliberate?: string;
  runId?: string;
  quiet?: boolean;
  mockFixtures?: boolean;
  param: Record<string, string>;
}

/** The URL as shown in reports: credentials in its userinfo never are. */
function baseUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${name} must be an http(s) URL, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${name} must be an http(s) URL`);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
}

export function driftCommand(): Command {
  return new Command('drift')
    .description(
      "run a provider's built-in scenario against the real service and the mock, and report every difference",
    )
    .addOption(
      new Option(
        '--provider <name>',
        `provider scenario (required): ${Object.keys(scenarios).join(', ')}`,
      ).env('DRIFT_PROVIDER'),
    )
    .addOption(new Option('--real <url>', 'the real service (required)').env('DRIFT_REAL_URL'))
    .addOption(new Option('--token <token>', 'credential for the real service (required)').env('DRIFT_TOKEN'))
    .addOption(
      new Option('--mock <url>', 'a running mock (default: start one in memory, emptied)').env(
        'DRIFT_MOCK_URL',
      ),
    )
    .addOption(
      new Option('--mock-token <token>', 'credential for the mock (default: --token)').env(
        'DRIFT_MOCK_TOKEN',
      ),
    )
    .option(
      '--mock-fixtures',
      'the mock it starts keeps its fixture images (default: emptied, like a fresh service)',
    )
    .option(
      '--allow-writes',
      'also create, update, upload and delete, each undone at the end (default: reads only)',
    )
    .option('--json <file>', "write the report as JSON ('-' for stdout; default: none)")
    .option('--junit <file>', "write the report as JUnit XML ('-' for stdout; default: none)")
    .option('--deliberate <file>', 'deliberate differences (default: drift/deliberate/<provider>.json)')
    .addOption(new Option('--run-id <hex8>', 'run id (8 hex digits) naming what the run creates').hideHelp())
    .addOption(
      new Option(
        '--param <name=value>',
        'scenario parameter, repeatable (cloudmc: service, environment, image, filter; sharedcloud, alliance: image; glance: admin-token, other-token, other-project)',
      )
        .argParser((raw: string, all: Record<string, string>) => {
          const at = raw.indexOf('=');
          if (at < 1) throw new InvalidArgumentError('It must be name=value.');
          return { ...all, [raw.slice(0, at)]: raw.slice(at + 1) };
        })
        .default({}, 'none'),
    )
    .option('--quiet', 'no table on stdout (default: the table is printed)')
    .addHelpText(
      'after',
      '\nExit codes: 0 no drift (deliberate differences allowed), 1 drift, 2 usage or connection error.',
    )
    .action(async (flags: DriftFlags) => {
      if (!flags.provider) throw new UsageError('drift needs --provider');
      const scenario = scenarios[flags.provider];
      if (!scenario) {
        throw new UsageError(
          `--provider must be one of ${Object.keys(scenarios).join(', ')}, got '${flags.provider}'`,
        );
      }
      if (!flags.real) throw new UsageError('drift needs --real URL');
      if (!flags.token) throw new UsageError('drift needs --token');
      if (flags.runId !== undefined && !/^[0-9a-f]{8}$/.test(flags.runId))
        throw new UsageError('--run-id must be 8 hex digits');
      for (const name of Object.keys(flags.param)) {
        if (!scenario.params?.[name])
          throw new UsageError(`the ${scenario.provider} scenario has no parameter '${name}'`);
      }
      if (flags.deliberate && !existsSync(flags.deliberate))
        throw new UsageError(`no such file: ${flags.deliberate}`);
      const secrets = [
        flags.token,
        flags.mockToken ?? '',
        ...Object.entries(flags.param)
          .filter(([name]) => /token|key|password|secret/i.test(name))
          .map(([, value]) => value),
      ];
      let deliberate;
      try {
        deliberate = loadDeliberate(scenario.provider, flags.deliberate);
      } catch (err) {
        if (err instanceof DeliberateFileError) throw new UsageError(`--deliberate ${err.message}`);
        throw err;
      }
      let report;
      try {
        report = await driftCheck(scenario, {
          real: baseUrl('--real', flags.real),
          token: flags.token,
          mock: flags.mock ? baseUrl('--mock', flags.mock) : undefined,
          mockToken: flags.mockToken,
          allowWrites: flags.allowWrites ?? false,
          deliberate,
          runId: flags.runId,
          params: flags.param,
          keepFixtures: flags.mockFixtures ?? false,
        });
      } catch (err) {
        if (err instanceof ConnectionError) throw new UsageError(scrubSecrets(err.message, secrets));
        throw err;
      }
      const emit = (target: string | undefined, text: string) => {
        if (!target) return;
        const safe = scrubSecrets(text, secrets);
        if (target === '-') process.stdout.write(safe);
        else writeFileSync(target, safe);
      };
      if (!flags.quiet && flags.json !== '-' && flags.junit !== '-') emit('-', tableReport(report));
      emit(flags.json, jsonReport(report));
      emit(flags.junit, junitReport(report));
      process.exitCode = report.summary.drifted > 0 ? 1 : 0;
    });
}
