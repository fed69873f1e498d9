import { describe, expect, it } from 'vitest';
import { schemasDir } from '../../src/paths.js';
import { Validator } from '../../src/validation/validator.js';
import { answerProblem } from './kit/invariants.js';
import { isRegistered, ownerOf } from './kit/profiles.js';
import type { RawResponse } from './kit/raw-http.js';

/** The fuzz invariants themselves: each one catches what it is meant to catch. */
const validator = new Validator(schemasDir);
const answer = (status: number, contentType: string, text: string): RawResponse => ({
  status,
  headers: { 'content-type': contentType },
  body: Buffer.from(text),
  text,
});
const get = (path: string) => ({ method: 'GET', path });
const cloudmcError =
  '{\n  "errors": [{ "code": 1006, "message": "Image \'x\' not found.", "context": {} }]\n}';

describe('fuzz invariants', () => {
  it('accept a provider error in its own format', () => {
    expect(
      answerProblem(
        get('/api/v1/services/a/b/images/x'),
        answer(404, 'application/json', cloudmcError),
        validator,
      ),
    ).toBeNull();
  });

  it('reject any 5xx', () => {
    expect(
      answerProblem(
        get('/api/v1/services/a/b/images'),
        answer(500, 'application/json', cloudmcError),
        validator,
      ),
    ).toMatch(/^status 500/);
  });

  it('reject a stack trace or a source path in a body', () => {
    const trace = 'Error: boom\n    at handler (/srv/app/src/providers/cloudmc/router.ts:12:3)';
    expect(
      answerProblem(get('/api/v1/services/a/b/images'), answer(404, 'application/json', trace), validator),
    ).toMatch(/internal detail/);
  });

  it('reject an error in another provider’s format', () => {
    const drf = '{"detail":"Not found."}';
    expect(
      answerProblem(get('/api/v1/services/a/b/images/x'), answer(404, 'application/json', drf), validator),
    ).toMatch(/not in its format/);
  });

  it.runIf(isRegistered('sharedcloud'))(
    'route by mount path, case-insensitively, the admin API first',
    () => {
      expect(ownerOf('/API/V1/services/x')).toBe('cloudmc');
      expect(ownerOf('/api/v1/images/')).toBe('sharedcloud');
      expect(ownerOf('/__admin/health?x=1')).toBe('admin');
    },
  );
});
