import type { AuthMode } from '../../../config.js';
import { drfErrors, FieldErrors } from '../errors.js';
import type { SharedcloudState } from '../model.js';
import { pythonJsonError, pythonUtf8Error } from './python-json.js';
import { standInToken } from '../auth.js';

/** The request data DRF's parsers hand the serializer: a dict, or whatever the JSON held. */
type Parsed = { kind: 'form'; fields: Map<string, string> } | { kind: 'json'; value: unknown };

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * ObtainAuthToken's parsers (form, multipart, JSON, in that order), with
 * DRF's errors: the CPython message for bad JSON, 415 naming the
 * Content-Type exactly as sent. An empty body is empty data.
 */
export async function parseLoginBody(body: Buffer, contentType: string | undefined): Promise<Parsed> {
  const type = contentType ?? '';
  if (body.length === 0) return { kind: 'form', fields: new Map() };
  switch (mediaType(type)) {
    case 'application/x-www-form-urlencoded':
      return { kind: 'form', fields: lastValues(new URLSearchParams(body.toString('utf8'))) };
    case 'multipart/form-data':
      return { kind: 'form', fields: await multipart(body, type) };
    case 'application/json': {
      const badBytes = pythonUtf8Error(body);
      if (badBytes) throw drfErrors.parse(`JSON parse error - ${badBytes}`);
      const text = body.toString('utf8');
      const problem = pythonJsonError(text);
      if (problem) throw drfErrors.parse(`JSON parse error - ${problem}`);
      return { kind: 'json', value: JSON.parse(text) };
    }
    default:
      throw drfErrors.unsupportedMediaType(type);
  }
}

/** Django's QueryDict hands a field its last value. */
function lastValues(entries: Iterable<[string, string]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of entries) out.set(k, v);
  return out;
}

async function multipart(body: Buffer, contentType: string): Promise<Map<string, string>> {
  if (!/;\s*boundary=/i.test(contentType))
    throw drfErrors.parse('Multipart form parse error - Invalid boundary in multipart: None');
  try {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const strings: [string, string][] = [];
    for (const [k, v] of form.entries()) if (typeof v === 'string') strings.push([k, v]);
    return lastValues(strings);
  } catch {
    // Django's parser yields no fields from a body it cannot split
    return new Map();
  }
}

const pythonType = (v: unknown) =>
  Array.isArray(v)
    ? 'list'
    : typeof v === 'string'
      ? 'str'
      : typeof v === 'boolean'
        ? 'bool'
        : Number.isInteger(v)
          ? 'int'
          : 'float';

/** DRF CharField: required, not null, a string (numbers become their text), not blank. */
function charField(value: unknown, trim: boolean): { ok: string } | { error: string } {
  if (value === undefined) return { error: 'This field is required.' };
  if (value === null) return { error: 'This field may not be null.' };
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string') return { error: 'Not a valid string.' };
  const text = trim ? value.trim() : value;
  if (text === '') return { error: 'This field may not be blank.' };
  return { ok: text };
}

/** AuthTokenSerializer: field errors first (username, password), then the credential check. */
export function obtainToken(mode: AuthMode, state: SharedcloudState, parsed: Parsed): string {
  let input: Record<string, unknown>;
  if (parsed.kind === 'form') input = Object.fromEntries(parsed.fields);
  else if (parsed.value === null) throw new FieldErrors({ non_field_errors: ['No data provided'] });
  else if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    throw new FieldErrors({
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonType(parsed.value)}.`],
    });
  } else input = parsed.value as Record<string, unknown>;

  const username = charField(input.username, true);
  const password = charField(input.password, false);
  const errors: Record<string, string[]> = {};
  if ('error' in username) errors.username = [username.error];
  if ('error' in password) errors.password = [password.error];
  if ('error' in username || 'error' in password) throw new FieldErrors(errors);

  const user = state.users.get(username.ok);
  // Django's ModelBackend refuses inactive users as if the password were wrong
  if (user?.active && user.password === password.ok) return user.token;
  if (mode === 'any') return standInToken(username.ok);
  throw new FieldErrors({ non_field_errors: ['Unable to log in with provided credentials.'] });
}
