import type { Clock } from '../clock.js';
import { asObject, badRequest, onlyKnownKeys } from './errors.js';

export type ClockAction = 'freeze' | 'set' | 'advance' | 'release';
export const CLOCK_ACTIONS: readonly ClockAction[] = ['freeze', 'set', 'advance', 'release'];

/** An instant as ISO 8601 text (with a zone) or epoch milliseconds. */
export function parseInstant(value: unknown, field: string): Date {
  if (typeof value === 'number' && Number.isFinite(value)) return checked(new Date(value), field);
  if (
    typeof value === 'string' &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i.test(value)
  ) {
    return checked(new Date(value), field);
  }
  throw badRequest(
    `${field}: must be an ISO 8601 time with a zone (2030-01-02T03:04:05Z) or epoch milliseconds`,
  );
}

function checked(date: Date, field: string): Date {
  if (Number.isNaN(date.getTime())) throw badRequest(`${field}: not a valid time`);
  return date;
}

/**
 * One clock change from an HTTP body:
 * freeze `{at?}`, set `{at}`, advance `{ms}` or `{seconds}`, release `{}`.
 */
export function applyClockAction(clock: Clock, action: ClockAction, rawBody: unknown): void {
  const body = asObject(rawBody, `clock ${action}`);
  switch (action) {
    case 'freeze':
      onlyKnownKeys(body, ['at'], 'clock freeze');
      clock.freeze(body.at === undefined ? clock.now() : parseInstant(body.at, 'at'));
      return;
    case 'set':
      onlyKnownKeys(body, ['at'], 'clock set');
      if (body.at === undefined) throw badRequest('at: required (the instant to jump to)');
      clock.set(parseInstant(body.at, 'at'));
      return;
    case 'advance': {
      onlyKnownKeys(body, ['ms', 'seconds'], 'clock advance');
      const ms = body.ms ?? (typeof body.seconds === 'number' ? body.seconds * 1000 : body.seconds);
      if ((body.ms === undefined) === (body.seconds === undefined))
        throw badRequest('clock advance: give exactly one of ms or seconds');
      if (typeof ms !== 'number' || !Number.isFinite(ms) || !Number.isInteger(Math.round(ms)))
        throw badRequest('clock advance: ms/seconds must be a number (negative goes back)');
      clock.advance(Math.round(ms));
      return;
    }
    case 'release':
      onlyKnownKeys(body, [], 'clock release');
      clock.release();
      return;
  }
}
