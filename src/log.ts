import { createRequire } from 'node:module';
import { type Logger, pino } from 'pino';
import type { PinoPretty } from 'pino-pretty';

// Loaded only for a terminal: pino-pretty costs more start-up time than pino itself, and a pipeline never needs it.
const require = createRequire(import.meta.url);

export type { Logger };

/** Pretty lines for a person at a terminal, JSON lines for pipelines and log collectors. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  const isTerminal = (destination as NodeJS.WriteStream).isTTY === true;
  if (isTerminal) {
    const pretty = require('pino-pretty') as typeof PinoPretty;
    return pino(
      { level },
      pretty({ destination: 1, colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }),
    );
  }
  return pino({ level, base: undefined }, destination);
}
