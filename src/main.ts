#!/usr/bin/env node
import { Command, Option } from 'commander';
import { type Config, ConfigError, resolveConfig, settings } from './config.js';
import { createLogger } from './log.js';
import { banner, startServer } from './server.js';
import { StoreLoadError } from './store/atomic-json-file.js';

function serveCommand(): Command {
  const cmd = new Command('serve').description(
    'run the mock server with all providers (the default command)',
  );
  for (const s of settings) {
    cmd.addOption(new Option(s.flag, s.description).env(s.env));
  }
  cmd.addHelpText(
    'after',
    '\nEvery flag can also be set with the environment variable shown; a flag wins over its variable.',
  );
  cmd.action(async (flags: Record<string, string>) => {
    // commander already merged env into flags (flag first); parse both through one path.
    const raw: Partial<Record<keyof Config, string>> = {};
    for (const s of settings) if (flags[s.key] !== undefined) raw[s.key] = flags[s.key];
    const config = resolveConfig({}, raw);
    await serve(config);
  });
  return cmd;
}

async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, logger);
  process.stderr.write(`${banner(running)}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: closing the server and flushing the store');
    running.close().then(
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

const serveCmd = serveCommand();
const program = new Command('image-api-mocks')
  .description(
    'Mock server for five cloud image APIs (StackPath, Cox Edge, Sharedcloud, Glance v2, Alliance)',
  )
  .addCommand(serveCmd, { isDefault: true })
  // `serve` is the default command, so its settings belong in the top-level help too.
  .addHelpText('after', () => `\n${serveCmd.helpInformation()}`);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StoreLoadError) {
    process.stderr.write(`image-api-mocks: ${err.message}\n`);
    process.exit(2);
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    process.stderr.write(`image-api-mocks: cannot listen: ${(err as Error).message}\n`);
    process.exit(2);
  }
  process.stderr.write(`image-api-mocks: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
