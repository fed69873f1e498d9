#!/usr/bin/env node
import { Command } from 'commander';
import { serveCommand } from './cli/serve.js';
import { dropEmptySettingVariables } from './cli/settings-options.js';
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

/**
 * Commander exits 1 on a usage mistake; this program's contract is 2 (1
 * means drift). Its messages read like this program's own, each followed by
 * where to look up the accepted forms.
 */
const usageConventions = (cmd: Command, path: string[] = []): void => {
  cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  cmd.configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'image-api-mocks: ')) });
  const named = cmd === serveCmd ? [] : path;
  cmd.showHelpAfterError(
    `(image-api-mocks ${[...named, '--help'].join(' ')} lists every option, its accepted values and its default)`,
  );
  for (const sub of cmd.commands)
    usageConventions(sub, cmd === program ? [sub.name()] : [...path, sub.name()]);
};
usageConventions(program);
dropEmptySettingVariables();

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StoreError || err instanceof UsageError) {
    process.stderr.write(`image-api-mocks: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`image-api-mocks: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
