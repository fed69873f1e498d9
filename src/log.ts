import { createRequire } from 'node:module';
import { type Logger, pino } from 'pino';
import type { PinoPretty } from 'pino-pretty';

// Loaded only for a terminal: pino-pretty costs more start-up time than pino itself, and a pipeline never needs it.
const require = createRequire(import.meta.url);

export type { Logger };

/** What the request log writes at info: one line per answer (see requestLine in app.ts). */
export interface RequestLine {
  req: { method: string; url: string };
  res: { statusCode: number | null };
  /** Milliseconds from arrival to the end of the answer, to 0.1 ms. */
  responseTime: number;
  sandbox?: string;
}

/**
 * Pretty lines for a person at a terminal, JSON lines for pipelines and log
 * collectors. Off a terminal, stdout is written asynchronously (a request
 * line costs a few µs instead of a blocking write to the pipe); pino flushes
 * what is pending when the process exits, and `RunningServer.close()` too.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  const isTerminal = (destination as NodeJS.WriteStream).isTTY === true;
  if (isTerminal) {
    const pretty = require('pino-pretty') as typeof PinoPretty;
    // at info a request is one summary line; at debug pino-http's full request and response objects show
    const detailed = pino.levels.values[level]! <= pino.levels.values.debug!;
    return pino(
      { level },
      pretty({
        destination: 1,
        colorize: true,
        ignore: detailed ? 'pid,hostname' : 'pid,hostname,req,res,responseTime',
        translateTime: 'SYS:HH:MM:ss.l',
        messageFormat: (log, messageKey) => summary(log) ?? message(log[messageKey]),
      }),
    );
  }
  const stream =
    destination === process.stdout
      ? // bounded: a reader that never drains loses lines rather than growing the heap without end
        pino.destination({ dest: 1, sync: false, maxLength: 16 * 1024 * 1024 })
      : destination;
  return pino({ level, base: undefined }, stream);
}

const message = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/** `GET /v2/images 200 1.2 ms` for a request line, undefined for any other. */
function summary(log: Record<string, unknown>): string | undefined {
  const { req, res, responseTime } = log as Partial<RequestLine>;
  if (!req || !res || typeof responseTime !== 'number') return undefined;
  return `${req.method} ${req.url} ${res.statusCode ?? 'aborted'} ${responseTime} ms`;
}

/** Writes out what an asynchronous destination still holds (on close; pino does the same on exit). */
export function flushLogger(logger: Logger): void {
  const stream = (logger as unknown as Record<symbol, { flushSync?: () => void } | undefined>)[
    pino.symbols.streamSym
  ];
  try {
    stream?.flushSync?.();
  } catch {
    // a destination that is not open yet, or already closed, holds nothing to write
  }
}
