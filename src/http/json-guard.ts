import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

/**
 * Deepest JSON nesting a request body may have. Parsing deeper documents is
 * fine, but every recursive walk after it (schema checks, JSON.stringify
 * when storing) would overflow the stack; the real services' Python parsers
 * give up near this depth too (the default recursion limit).
 */
export const MAX_JSON_DEPTH = 1000;

/** Why a body deeper than MAX_JSON_DEPTH is refused: valid JSON, so never called malformed. */
export const TOO_DEEP_REASON = `nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;

/** The error type of that refusal (frameworkFailure: 'too-deep'). */
export const TOO_DEEP_TYPE = 'json.too.deep';

/** Brackets opened and not yet closed, outside strings; true once it passes `max`. */
export function nestedDeeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * body-parser `verify` hook for JSON bodies: invalid UTF-8 is a
 * 'bad-encoding' failure rather than silently decoded with U+FFFD in its
 * place, and nesting beyond MAX_JSON_DEPTH is a 'too-deep' failure (never a 500).
 */
export function verifyJsonBody(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') === 'utf8' && !isUtf8(body)) throw new Error('invalid UTF-8');
  if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
    throw Object.assign(new Error(`JSON ${TOO_DEEP_REASON}`), { type: TOO_DEEP_TYPE });
  }
}
