import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { AuthMode } from '../../config.js';
import { authenticate, headerValue } from '../../http/auth.js';
import type { AuthDoc } from '../provider.js';
import { drfErrors } from './errors.js';
import type { SharedcloudState, User } from './model.js';

/** The credential scheme, for the OpenAPI document. */
export const sharedcloudAuth: AuthDoc = {
  type: 'apiKey',
  in: 'header',
  name: 'Authorization',
  description:
    "`Token <key>` (DRF TokenAuthentication); POST /api/v1/api-token-auth/ gives a fixture user's key.",
};

/**
 * DRF's TokenAuthentication, step by step: null when the request carries
 * no Token credentials at all (the view then decides), the user when they
 * are good, else it throws the 401 DRF words for that exact header problem.
 */
export function tokenUser(
  mode: AuthMode,
  state: SharedcloudState,
  header: string | string[] | undefined,
): User | null {
  const raw = headerValue(header) ?? '';
  // Python's bytes.split(): runs of ASCII whitespace, ends trimmed
  const parts = raw.split(/[ \t\n\r\f\v]+/).filter((p) => p !== '');
  if (parts.length === 0 || parts[0]!.toLowerCase() !== 'token') return null;
  if (parts.length === 1) throw drfErrors.noCredentials();
  if (parts.length > 2) throw drfErrors.spaces();
  // Node hands header bytes over as latin-1; DRF decodes the key as UTF-8
  const key = Buffer.from(parts[1]!, 'latin1');
  if (!isUtf8(key)) throw drfErrors.invalidCharacters();
  const outcome = authenticate(
    mode,
    key.toString('utf8'),
    (k) => state.users.by('token', k)[0],
    () => standIn(state),
  );
  if (!outcome.ok) throw drfErrors.invalidToken();
  if (!outcome.identity.active) throw drfErrors.inactive();
  return outcome.identity;
}

/** In `any` mode an unknown token acts as the first fixture user, so a demo sees their instances. */
export function standIn(state: SharedcloudState): User {
  const first = state.users.find((u) => u.active);
  return first ?? { username: 'demo', password: '', token: '', active: true };
}

/** `any` mode: a login that is not a fixture user's gets a stable key of DRF's shape (40 hex). */
export const standInToken = (username: string) =>
  createHash('sha1').update(`sharedcloud-mock:${username}`).digest('hex');
