import type { Validator } from '../../../src/validation/validator.js';
import { mockErrorProblem, ownerOf, profileOf, registered } from './profiles.js';
import { leakedInternals, type RawRequest, type RawResponse, send } from './raw-http.js';

/**
 * What every answer must satisfy, whatever was asked: no 5xx, no internals,
 * errors in the format of the router that owns the path. Null when it holds.
 */
export function answerProblem(req: RawRequest, res: RawResponse, validator: Validator): string | null {
  // Node's HTTP parser refuses a request target with raw non-ASCII bytes (invalid HTTP) before any router
  if (/[^\x21-\x7e]/.test(req.path)) {
    return res.status === 400 && res.body.length === 0 ? null : `raw non-ASCII path answered ${res.status}`;
  }
  if (res.status >= 500 || res.status < 100) return `status ${res.status}: ${res.text.slice(0, 300)}`;
  const asked = `${req.path} ${JSON.stringify(req.headers)} ${req.body?.toString() ?? ''}`;
  const leak = leakedInternals(res.text, asked);
  if (leak) return `the body shows ${leak}: ${res.text.slice(0, 300)}`;
  if (res.status < 400) return null;
  if (req.method === 'HEAD') return res.body.length === 0 ? null : 'HEAD answered with a body';
  const owner = ownerOf(req.path);
  const profile = profileOf(owner);
  const problem = profile ? profile.errorProblem(res, validator, req.path) : mockErrorProblem(res);
  return problem && `${res.status} from ${owner} is not in its format: ${problem}`;
}

/** The admin health endpoint and every provider's probe still answer as they should. */
export async function healthProblems(base: string): Promise<string[]> {
  const problems: string[] = [];
  const health = await send(base, { method: 'GET', path: '/__admin/health' });
  if (health.status !== 200) problems.push(`health answered ${health.status}`);
  for (const profile of registered) {
    const { path, headers, status } = profile.probe;
    const res = await send(base, { method: 'GET', path, headers });
    if (res.status !== status)
      problems.push(`${profile.name} probe ${path} answered ${res.status}, not ${status}`);
  }
  return problems;
}

/** Keys a polluted prototype would show on a fresh object. */
export function pollution(): string[] {
  const probe = {} as Record<string, unknown>;
  return ['polluted', 'x', 'value'].filter((k) => probe[k] !== undefined);
}

export const describeRequest = (req: RawRequest) =>
  `${req.method} ${req.path.slice(0, 200)} headers=${JSON.stringify(req.headers)} body=${
    req.body === undefined ? '-' : JSON.stringify(req.body.toString().slice(0, 200))
  }`;
