import { Command } from 'commander';
import type { Config } from '../config.js';
import { createLogger } from '../log.js';
import { banner, startServer } from '../server.js';
import { listenProblem } from './listen-error.js';
import { addServerOptions, configFromOptions } from './settings-options.js';
import { collectStartupGarbage } from './startup-garbage.js';

export function serveCommand(): Command {
  const cmd = new Command('serve').description(
    'run the mock server with all providers (the default command)',
  );
  addServerOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nEvery flag can also be set with the environment variable shown; a flag wins over its variable.',
  );
  cmd.action(async () => {
    try {
      await serve(configFromOptions(cmd));
    } catch (err) {
      throw listenProblem(err, cmd) ?? err;
    }
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
