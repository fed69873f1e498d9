import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Config, defaultConfig, SettingValueError, settings, shownDefault } from '../config.js';

/**
 * Adds server settings as flags: commander reads each from the command line
 * or its environment variable, checks it with the setting's parser (an error
 * names the flag, and the variable when the value came from there) and
 * shows its default in --help.
 */
export function addServerOptions(cmd: Command, only?: readonly (keyof Config)[]): Command {
  for (const s of settings) {
    if (only && !only.includes(s.key)) continue;
    const option = new Option(s.flag, s.description)
      .env(s.env)
      .default(defaultConfig[s.key], shownDefault(s));
    if (s.choices) option.choices(s.choices);
    else option.argParser((raw: string) => parseOrExplain(s.parse, raw));
    cmd.addOption(option);
  }
  return cmd;
}

function parseOrExplain<T>(parse: (raw: string) => T, raw: string): T {
  try {
    return parse(raw);
  } catch (err) {
    if (err instanceof SettingValueError) throw new InvalidArgumentError(`It ${err.message}.`);
    throw err;
  }
}

/** The settings commander collected (defaults, variables and flags, each parsed). */
export function configFromOptions(cmd: Command): Config {
  const values = cmd.opts<Record<string, unknown>>();
  const config: Config = { ...defaultConfig };
  for (const s of settings) {
    if (values[s.key] !== undefined) (config as unknown as Record<string, unknown>)[s.key] = values[s.key];
  }
  return config;
}

/**
 * How a message names where a setting came from: `--port 8080`,
 * `PORT=8080 from the environment` or `the default --port 8080`, so the
 * fix is plain.
 */
export function settingSource(cmd: Command, key: keyof Config): string {
  const s = settings.find((spec) => spec.key === key)!;
  const value = String(cmd.getOptionValue(key));
  switch (cmd.getOptionValueSource(key)) {
    case 'cli':
      return `${s.flag.split(' ')[0]} ${value}`;
    case 'env':
      return `${s.env}=${value} from the environment`;
    default:
      return `the default ${s.flag.split(' ')[0]} ${value}`;
  }
}

/** An empty variable means "not set", as it always has (commander would parse the empty string). */
export function dropEmptySettingVariables(env: NodeJS.ProcessEnv = process.env): void {
  for (const s of settings) if (env[s.env] === '') delete env[s.env];
}
