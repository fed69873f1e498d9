import { Command, Option } from 'commander';
import { type Config, resolveConfig, settings } from '../config.js';
import { createLogger } from '../log.js';
import { banner, startServer } from '../server.js';
import { collectStartupGarbage } from './startup-garbage.js';

/** Collects the server settings from flags (commander has already merged their env vars). */
export function configFromFlags(flags: Record<string, unknown>, overrides: Partial<Config> = {}): Config {
  const raw: Partial<Record<keyof Config, string>> = {};
  for (const s of settings) if (typeof flags[s.key] === 'string') raw[s.key] = flags[s.key] as string;
  return resolveConfig({}, raw, overrides);
}

/** Adds every server setting as a flag with its environment variable. */
export function addServerOptions(cmd: Command, only?: readonly (keyof Config)[]): Command {
  for (const s of settings) {
    if (only && !only.includes(s.key)) continue;
    cmd.addOption(new Option(s.flag, s.description).env(s.env));
  }
  return cmd;
}

export function serveCommand(): Command {
  const cmd = new Command('serve').description(
    'run the mock server with all providers (the default command)',
  );
  addServerOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nEvery flag can also be set with the environment variable shown; a flag wins over its variable.',
  );
  cmd.action(async (flags: Record<string, string>) => {
    await serve(configFromFlags(flags));
  });
  return cmd;
}

/** Runs until SIGINT/SIGTERM, then closes the server and flushes the store. */
export async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, logger);
  collectStartupGarbage();
  process.stderr.write(`${banner(running)}\n`);
  onStopSignals(logger, () => running.close());
}

export function onStopSignals(
  logger: { info(o: object, m: string): void; error(o: object, m: string): void },
  close: () => Promise<void>,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: closing the server and flushing the store');
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
