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
  parse: (raw: string) => Config[keyof Config];
}

export class ConfigError extends Error {}

const integer = (name: string, min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return n;
};

const oneOf =
  <T extends string>(name: string, values: readonly T[]) =>
  (raw: string): T => {
    if (!(values as readonly string[]).includes(raw)) {
      throw new ConfigError(`${name} must be one of ${values.join(', ')}, got '${raw}'`);
    }
    return raw as T;
  };

const text = (raw: string) => raw;

export const settings: SettingSpec[] = [
  {
    key: 'port',
    flag: '--port <n>',
    env: 'PORT',
    description: 'port to listen on (0 picks a free one)',
    parse: integer('PORT', 0, 65535),
  },
  { key: 'host', flag: '--host <addr>', env: 'HOST', description: 'address to bind', parse: text },
  {
    key: 'store',
    flag: '--store <dir|:memory:>',
    env: 'MOCK_STORE',
    description: 'store directory (one JSON file per provider), or :memory:',
    parse: text,
  },
  {
    key: 'seed',
    flag: '--seed <n>',
    env: 'MOCK_SEED',
    description: 'faker seed for generated fixture records',
    parse: integer('MOCK_SEED', 0, 2 ** 31 - 1),
  },
  {
    key: 'auth',
    flag: '--auth <mode>',
    env: 'MOCK_AUTH',
    description: 'strict: fixture credentials only; any: any non-empty credential',
    parse: oneOf('MOCK_AUTH', ['strict', 'any'] as const),
  },
  {
    key: 'validate',
    flag: '--validate <mode>',
    env: 'MOCK_VALIDATE',
    description: 'response schema check: fail (500 on mismatch), warn (log only), off',
    parse: oneOf('MOCK_VALIDATE', ['fail', 'warn', 'off'] as const),
  },
  {
    key: 'logLevel',
    flag: '--log-level <level>',
    env: 'LOG_LEVEL',
    description: 'trace, debug, info, warn, error, fatal or silent',
    parse: oneOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const),
  },
  {
    key: 'maxBodyBytes',
    flag: '--max-body-bytes <n>',
    env: 'MOCK_MAX_BODY_BYTES',
    description: 'largest JSON request body accepted (413 beyond)',
    parse: integer('MOCK_MAX_BODY_BYTES', 1, 2 ** 31 - 1),
  },
  {
    key: 'journalSize',
    flag: '--journal-size <n>',
    env: 'MOCK_JOURNAL_SIZE',
    description: 'requests kept in the request journal (0 switches it off)',
    parse: integer('MOCK_JOURNAL_SIZE', 0, 1_000_000),
  },
  {
    key: 'journalBodyBytes',
    flag: '--journal-body-bytes <n>',
    env: 'MOCK_JOURNAL_BODY_BYTES',
    description: 'bytes of each request/response body the journal keeps',
    parse: integer('MOCK_JOURNAL_BODY_BYTES', 0, 16 * 1024 * 1024),
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
  },
  {
    key: 'allowedHosts',
    flag: '--allowed-hosts <list>',
    env: 'MOCK_ALLOWED_HOSTS',
    description:
      'Host values links may be built from, comma-separated, * for any (default: localhost and the bound address)',
    parse: list('MOCK_ALLOWED_HOSTS', /^(\*|[A-Za-z0-9.:_[\]-]+)$/, 'hosts like mock,mock:8080 or *'),
  },
  {
    key: 'maxSandboxes',
    flag: '--max-sandboxes <n>',
    env: 'MOCK_MAX_SANDBOXES',
    description: 'test sandboxes (isolated in-memory stores) that may exist at once',
    parse: integer('MOCK_MAX_SANDBOXES', 0, 10_000),
  },
  {
    key: 'maxSnapshots',
    flag: '--max-snapshots <n>',
    env: 'MOCK_MAX_SNAPSHOTS',
    description: 'store snapshots an instance (or a sandbox) may hold at once (409 beyond)',
    parse: integer('MOCK_MAX_SNAPSHOTS', 0, 10_000),
  },
  {
    key: 'maxSnapshotBytes',
    flag: '--max-snapshot-bytes <n>',
    env: 'MOCK_MAX_SNAPSHOT_BYTES',
    description: 'bytes those snapshots may hold together: gzipped records plus image data (413 beyond)',
    parse: integer('MOCK_MAX_SNAPSHOT_BYTES', 0, Number.MAX_SAFE_INTEGER),
  },
  {
    key: 'glanceMaxImageBytes',
    flag: '--glance-max-image-bytes <n>',
    env: 'MOCK_GLANCE_MAX_IMAGE_BYTES',
    description: 'largest Glance image upload accepted (413 beyond)',
    parse: integer('MOCK_GLANCE_MAX_IMAGE_BYTES', 0, Number.MAX_SAFE_INTEGER),
  },
  {
    key: 'glanceImportAllowedSchemes',
    flag: '--glance-import-allowed-schemes <list>',
    env: 'MOCK_GLANCE_IMPORT_ALLOWED_SCHEMES',
    description: 'web-download import: URI schemes allowed, comma-separated (Glance: http,https)',
    parse: list('MOCK_GLANCE_IMPORT_ALLOWED_SCHEMES', /^[a-z][a-z0-9+.-]*$/, 'schemes like http,https'),
  },
  {
    key: 'glanceImportAllowedHosts',
    flag: '--glance-import-allowed-hosts <list>',
    env: 'MOCK_GLANCE_IMPORT_ALLOWED_HOSTS',
    description:
      'web-download import: only these hosts, comma-separated; may be loopback (Glance: any non-loopback host)',
    parse: list(
      'MOCK_GLANCE_IMPORT_ALLOWED_HOSTS',
      /^[A-Za-z0-9.:_[\]-]+$/,
      'hosts like 127.0.0.1,images.example',
    ),
  },
  {
    key: 'glanceImportAllowedPorts',
    flag: '--glance-import-allowed-ports <list>',
    env: 'MOCK_GLANCE_IMPORT_ALLOWED_PORTS',
    description: 'web-download import: ports a URI may name, comma-separated (Glance: 80,443)',
    parse: (raw: string) =>
      list('MOCK_GLANCE_IMPORT_ALLOWED_PORTS', /^\d{1,5}$/, 'ports like 80,443')(raw).map(Number),
  },
];

/** A comma-separated list whose every item matches `item` (an empty string is the empty list). */
function list(name: string, item: RegExp, form: string) {
  return (raw: string): string[] => {
    const items = raw
      .split(',')
      .map((i) => i.trim())
      .filter((i) => i !== '');
    const bad = items.find((i) => !item.test(i));
    if (bad !== undefined) throw new ConfigError(`${name} must be ${form}, got '${bad}'`);
    return items;
  };
}

function corsSetting(raw: string): string {
  const value = raw.trim();
  if (value === 'off' || value === '*') return value;
  const origins = value.split(',').map((o) => o.trim());
  const bad = origins.find((o) => !/^https?:\/\/[^/\s]+$/.test(o));
  if (bad !== undefined) {
    throw new ConfigError(`MOCK_CORS must be off, * or origins like http://localhost:3000, got '${raw}'`);
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
    if (fromEnv !== undefined && fromEnv !== '') target[s.key] = s.parse(fromEnv);
    const fromFlag = raw[s.key];
    if (fromFlag !== undefined) target[s.key] = s.parse(fromFlag);
  }
  return { ...config, ...overrides };
}
