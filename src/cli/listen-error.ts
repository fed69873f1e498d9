import type { Command } from 'commander';
import { HOST_FORM } from '../config.js';
import { settingSource } from './settings-options.js';
import { UsageError } from './usage-error.js';

/**
 * The one-line message for a server that could not listen with the
 * command's --port and --host, naming the setting to change and how; null
 * for an error that is no listening problem.
 */
export function listenProblem(err: unknown, cmd: Command): UsageError | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const host = String(cmd.getOptionValue('host'));
  const port = String(cmd.getOptionValue('port'));
  const where = `cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}`;
  const otherPort = 'pass --port 0 for any free port, or another --port';
  switch (code) {
    case 'EADDRINUSE':
      return new UsageError(
        `${where}: the port is already in use (${settingSource(cmd, 'port')}); ${otherPort}.`,
      );
    case 'EACCES':
      return new UsageError(
        `${where}: this user may not use that port (${settingSource(cmd, 'port')}; ports below 1024 need privileges); ${otherPort}.`,
      );
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return new UsageError(
        `${where}: no network interface of this machine has that address (${settingSource(cmd, 'host')}); --host ${HOST_FORM}.`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return new UsageError(
        `${where}: the host name does not resolve (${settingSource(cmd, 'host')}); --host ${HOST_FORM}.`,
      );
    default:
      return null;
  }
}
