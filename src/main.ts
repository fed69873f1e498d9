#!/usr/bin/env node
import { Command } from 'commander';
import { serveCommand } from './cli/serve.js';
import { UsageError } from './cli/usage-error.js';
import { ConfigError } from './config.js';
import { StoreError } from './store/errors.js';

const serveCmd = serveCommand();
const program = new Command('image-api-mocks')
  .description(
    'Mock server for five cloud image APIs (StackPath, Cox Edge, Sharedcloud, Glance v2, Alliance)',
  )
  .addCommand(serveCmd, { isDefault: true })
  // `serve` is the default command, so its settings belong in the top-level help too.
  .addHelpText('after', () => `\n${serveCmd.helpInformation()}`);

// `record` and `drift` pull in modules serving never uses: they are loaded only when named or for help
// (start-up time of the mock itself).
const args = process.argv.slice(2);
const named = (name: string) =>
  args[0] === name || args.includes('--help') || args.includes('-h') || args[0] === 'help';
if (named('record')) program.addCommand((await import('./cli/record.js')).recordCommand());
if (named('drift')) program.addCommand((await import('./cli/drift.js')).driftCommand());

// Commander exits 1 on a usage mistake; this program's contract is 2 (1 means drift).
const usageExitCode = (cmd: Command): void => {
  cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  cmd.commands.forEach(usageExitCode);
};
usageExitCode(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StoreError || err instanceof UsageError) {
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
