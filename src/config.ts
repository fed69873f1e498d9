import { isIP } from 'node:net';

export type AuthMode = 'strict' | 'any';
export type ValidateMode = 'fail' | 'warn' | 'off';

export interface Config {
  port: number;
  host: string;
  /** Directory holding one JSON file per provider, or ':memory:'. */
  store: string;
  /** Faker seed: the same seed and fixtures give byte-identical records. */
  seed: number;
  auth: AuthMode;
  validate: ValidateMode;
  logLevel: string;
  /** Largest request body any provider accepts, in bytes (image data has its own cap). */
  maxBodyBytes: number;
  /** Requests the journal keeps (oldest dropped first); 0 switches it off. */
  journalSize: number;
  /** Bytes of each request and response body the journal keeps. */
  journalBodyBytes: number;
  /** 'off', '*' (any origin) or a comma-separated list of allowed origins (the provider APIs only, never /__admin). */
  cors: string;
  /** When set, every /__admin request but the probes and the console page must present it. */
  adminToken: string;
  /** Host header values that may appear in generated links; empty: localhost and the address a request arrived on. */
  allowedHosts: string[];
  /** Test sandboxes that may exist at once. */
  maxSandboxes: number;
  /** Snapshots one instance (the main one, or a sandbox) may hold at once (409 beyond). */
  maxSnapshots: number;
  /** Bytes those snapshots may hold together: gzipped records plus copied image data (413 beyond). */
  maxSnapshotBytes: number;
  /** Largest image data Glance accepts in one upload, in bytes (413 beyond). */
  glanceMaxImageBytes: number;
  /** Glance's import_filtering_opts for web-download: the schemes, hosts and ports a URI may name. */
  glanceImportAllowedSchemes: string[];
  /** Empty: any host but loopback and link-local ones (a host listed here may be loopback). */
  glanceImportAllowedHosts: string[];
  /** Checked only when the URI names a port, as Glance checks it. */
  glanceImportAllowedPorts: number[];
}

export const defaultConfig: Config = {
  port: 8080,
  host: '127.0.0.1',
  store: './data',
  seed: 42,
  auth: 'strict',
  validate: 'fail',
  logLevel: 'info',
  maxBodyBytes: 1024 * 1024,
  journalSize: 1000,
  journalBodyBytes: 4096,
  cors: 'off',
  adminToken: '',
  allowedHosts: [],
  maxSandboxes: 64,
  maxSnapshots: 20,
  maxSnapshotBytes: 256 * 1024 * 1024,
  glanceMaxImageBytes: 1024 * 1024 * 1024,
  glanceImportAllowedSchemes: ['http', 'https'],
  glanceImportAllowedHosts: [],
  glanceImportAllowedPorts: [80, 443],
};

/** One row per setting: the CLI flag, its environment variable and how to read it. */
export interface SettingSpec {
  key: keyof Config;
  flag: string;
  env: string;
  description: string;
  /** Throws a SettingValueError saying what the setting accepts. */
  parse: (raw: string) => Config[keyof Config];
  /** The only values it takes, where it has a fixed set (help lists them). */
  choices?: readonly string[];
  /** The default as help shows it, where the value itself does not say it. */
  shownDefault?: string;
}

export class ConfigError extends Error {}

/** A setting's raw value is not of the accepted form; the message says what is accepted, without naming the setting. */
export class SettingValueError extends ConfigError {}

const integer = (min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new SettingValueError(`must be an integer from ${min} to ${max}`);
  }
  return n;
};

const oneOf = <T extends string>(values: readonly T[]) => ({
  choices: values,
  parse: (raw: string): T => {
    if (!(values as readonly string[]).includes(raw)) {
      throw new SettingValueError(`must be one of ${values.join(', ')}`);
    }
    return raw as T;
  },
});

/** What --host accepts (start-up reports an address that is not this machine's in the same words). */
export const HOST_FORM =
  'must be an IP address of this machine or a host name, e.g. 127.0.0.1, 0.0.0.0 (every interface), ::1 or localhost';

/** A literal IP address, or a host name as RFC 1123 writes them (a name's last label is never all digits). */
function hostSetting(raw: string): string {
  const host = raw.trim();
  if (isIP(host) !== 0) return host;
  const labels = host.split('.');
  const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  if (host.length <= 253 && labels.every((l) => label.test(l)) && !/^\d+$/.test(labels.at(-1)!)) return host;
  throw new SettingValueError(HOST_FORM);
}

export const settings: SettingSpec[] = [
  {
    key: 'port',
    flag: '--port <n>',
    env: 'PORT',
    description: 'port to listen on (0 picks a free one)',
    parse: integer(0, 65535),
  },
  {
    key: 'host',
    flag: '--host <addr>',
    env: 'HOST',
    description: 'address to bind (0.0.0.0: every interface)',
    parse: hostSetting,
  },
  {
    key: 'store',
    flag: '--store <dir|:memory:>',
    env: 'MOCK_STORE',
    description: 'store directory (one JSON file per provider), or :memory:',
    parse: (raw: string) => {
      if (raw.trim() === '') throw new SettingValueError('must be a directory path or :memory:');
      return raw;
    },
  },
  {
    key: 'seed',
    flag: '--seed <n>',
    env: 'MOCK_SEED',
    description: 'faker seed for generated fixture records',
    parse: integer(0, 2 ** 31 - 1),
  },
  {
    key: 'auth',
    flag: '--auth <mode>',
    env: 'MOCK_AUTH',
    description: 'strict: the fixture credentials only; any: any non-empty credential',
    ...oneOf(['strict', 'any'] as const),
  },
  {
    key: 'validate',
    flag: '--validate <mode>',
    env: 'MOCK_VALIDATE',
    description: 'response schema check: fail (500 on mismatch), warn (log only), off',
    ...oneOf(['fail', 'warn', 'off'] as const),
  },
  {
    key: 'logLevel',
    flag: '--log-level <level>',
    env: 'LOG_LEVEL',
    description: 'pino log level: pretty on a terminal, JSON lines otherwise',
    ...oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const),
  },
  {
    key: 'maxBodyBytes',
    flag: '--max-body-bytes <n>',
    env: 'MOCK_MAX_BODY_BYTES',
    description: 'largest JSON request body accepted (413 beyond)',
    parse: integer(1, 2 ** 31 - 1),
  },
  {
    key: 'journalSize',
    flag: '--journal-size <n>',
    env: 'MOCK_JOURNAL_SIZE',
    description: 'requests kept in the request journal (0 switches it off)',
    parse: integer(0, 1_000_000),
  },
  {
    key: 'journalBodyBytes',
    flag: '--journal-body-bytes <n>',
    env: 'MOCK_JOURNAL_BODY_BYTES',
    description: 'bytes of each request/response body the journal keeps',
    parse: integer(0, 16 * 1024 * 1024),
  },
  {
    key: 'cors',
    flag: '--cors <origins>',
    env: 'MOCK_CORS',
    description: 'CORS for browser clients: off, * (any origin) or a comma-separated origin list',
    parse: corsSetting,
  },
  {
    key: 'adminToken',
    flag: '--admin-token <token>',
    env: 'MOCK_ADMIN_TOKEN',
    description: 'protects /__admin: requests send Authorization: Bearer <token> (the console asks for it)',
    parse: (raw: string) => raw.trim(),
    shownDefault: 'none, /__admin is open',
  },
  {
    key: 'allowedHosts',
    flag: '--allowed-hosts <list>',
    env: 'MOCK_ALLOWED_HOSTS',
    description: 'Host values links may be built from, comma-separated, * for any',
    shownDefault: 'localhost and the bound address',
    parse: list(/^(\*|[A-Za-z0-9.:_[\]-]+)$/, 'hosts like mock,mock:8080 or *'),
  },
  {
    key: 'maxSandboxes',
    flag: '--max-sandboxes <n>',
    env: 'MOCK_MAX_SANDBOXES',
    description: 'test sandboxes (isolated in-memory stores) that may exist at once',
    parse: integer(0, 10_000),
  },
  {
    key: 'maxSnapshots',
    flag: '--max-snapshots <n>',
    env: 'MOCK_MAX_SNAPSHOTS',
    description: 'store snapshots an instance (or a sandbox) may hold at once (409 beyond)',
    parse: integer(0, 10_000),
  },
  {
    key: 'maxSnapshotBytes',
    flag: '--max-snapshot-bytes <n>',
    env: 'MOCK_MAX_SNAPSHOT_BYTES',
    description: 'bytes those snapshots may hold together: gzipped records plus image data (413 beyond)',
    parse: integer(0, Number.MAX_SAFE_INTEGER),
  },
  {
    key: 'glanceMaxImageBytes',
    flag: '--glance-max-image-bytes <n>',
    env: 'MOCK_GLANCE_MAX_IMAGE_BYTES',
    description: 'largest Glance image upload accepted (413 beyond)',
    parse: integer(0, Number.MAX_SAFE_INTEGER),
  },
  {
    key: 'glanceImportAllowedSchemes',
    flag: '--glance-import-allowed-schemes <list>',
    env: 'MOCK_GLANCE_IMPORT_ALLOWED_SCHEMES',
    description: 'web-download import: URI schemes allowed, comma-separated (Glance: http,https)',
    parse: list(/^[a-z][a-z0-9+.-]*$/, 'schemes like http,https'),
  },
  {
    key: 'glanceImportAllowedHosts',
    flag: '--glance-import-allowed-hosts <list>',
    env: 'MOCK_GLANCE_IMPORT_ALLOWED_HOSTS',
    description: 'web-download import: only these hosts, comma-separated; may be loopback',
    shownDefault: 'any non-loopback host, as Glance',
    parse: list(/^[A-Za-z0-9.:_[\]-]+$/, 'hosts like 127.0.0.1,images.example'),
  },
  {
    key: 'glanceImportAllowedPorts',
    flag: '--glance-import-allowed-ports <list>',
    env: 'MOCK_GLANCE_IMPORT_ALLOWED_PORTS',
    description: 'web-download import: ports a URI may name, comma-separated (Glance: 80,443)',
    parse: (raw: string) => list(/^\d{1,5}$/, 'ports like 80,443')(raw).map(Number),
  },
];

/** A comma-separated list whose every item matches `item` (an empty string is the empty list). */
function list(item: RegExp, form: string) {
  return (raw: string): string[] => {
    const items = raw
      .split(',')
      .map((i) => i.trim())
      .filter((i) => i !== '');
    const bad = items.find((i) => !item.test(i));
    if (bad !== undefined) throw new SettingValueError(`must be ${form} ('${bad}' is not)`);
    return items;
  };
}

function corsSetting(raw: string): string {
  const value = raw.trim();
  if (value === 'off' || value === '*') return value;
  const origins = value.split(',').map((o) => o.trim());
  const bad = origins.find((o) => !/^https?:\/\/[^/\s]+$/.test(o));
  if (bad !== undefined) {
    throw new SettingValueError('must be off, * or origins like http://localhost:3000,https://app.test');
  }
  return origins.join(',');
}

/**
 * Merges defaults, environment and explicit values (flags or code), in that
 * order of precedence, validating every raw string the same way.
 */
export function resolveConfig(
  env: NodeJS.ProcessEnv = {},
  raw: Partial<Record<keyof Config, string>> = {},
  overrides: Partial<Config> = {},
): Config {
  const config: Config = { ...defaultConfig };
  const target = config as unknown as Record<string, unknown>;
  for (const s of settings) {
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== '') target[s.key] = parseNamed(s, s.env, fromEnv);
    const fromFlag = raw[s.key];
    if (fromFlag !== undefined) target[s.key] = parseNamed(s, s.flag.split(' ')[0]!, fromFlag);
  }
  return { ...config, ...overrides };
}

function parseNamed(s: SettingSpec, name: string, raw: string): Config[keyof Config] {
  try {
    return s.parse(raw);
  } catch (err) {
    if (err instanceof SettingValueError) throw new ConfigError(`${name} ${err.message}, got '${raw}'`);
    throw err;
  }
}

/** How help shows a setting's default. */
export function shownDefault(s: SettingSpec): string {
  const value = defaultConfig[s.key];
  return s.shownDefault ?? (Array.isArray(value) ? value.join(',') : String(value));
}
