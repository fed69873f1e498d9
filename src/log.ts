import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Pretty lines for a person at a terminal, JSON lines for pipelines and log collectors. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  const isTerminal = (destination as NodeJS.WriteStream).isTTY === true;
  if (isTerminal) {
    return pino(
      { level },
      pretty({ destination: 1, colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }),
    );
  }
  return pino({ level, base: undefined }, destination);
}
