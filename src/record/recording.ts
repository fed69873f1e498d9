import { readFileSync } from 'node:fs';
import type { HeaderMap } from './mask.js';

/** A body as kept in a recordings file: text when it is text, else base64, else only its size and digest. */
export type RecordedBody =
  | { encoding: 'utf8'; text: string }
  | { encoding: 'base64'; data: string }
  | { encoding: 'omitted'; bytes: number; sha256: string };

export interface Exchange {
  provider: string;
  at: string;
  request: { method: string; path: string; headers: HeaderMap; body?: RecordedBody };
  response: { status: number; headers: HeaderMap; body?: RecordedBody };
}

export class RecordingFileError extends Error {}

/** Reads a recordings file (JSON Lines, one exchange a line). */
export function readRecordings(file: string): Exchange[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RecordingFileError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, n }) => {
      try {
        const exchange = JSON.parse(line) as Exchange;
        if (typeof exchange.request?.path !== 'string' || typeof exchange.response?.status !== 'number') {
          throw new Error('not an exchange');
        }
        return exchange;
      } catch (err) {
        throw new RecordingFileError(`${file}:${n}: ${(err as Error).message}`);
      }
    });
}

export function bodyText(body: RecordedBody | undefined): string | undefined {
  if (!body) return undefined;
  if (body.encoding === 'utf8') return body.text;
  if (body.encoding === 'base64') return Buffer.from(body.data, 'base64').toString('utf8');
  return undefined;
}

export function headerOf(headers: HeaderMap, name: string): string | undefined {
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  if (!entry) return undefined;
  return Array.isArray(entry[1]) ? entry[1].join(', ') : entry[1];
}

/** The JSON body of a response, or undefined when it has none or it does not parse. */
export function responseJson(exchange: Exchange): unknown {
  const text = bodyText(exchange.response.body);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
