import { CREDENTIAL_HEADERS } from '../http/credentials.js';

export const MASK = '[masked]';

const CREDENTIAL_FIELD =
  /("(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|credential|id_token)s?"\s*:\s*)"(?:[^"\\]|\\.)*("?)/gi;

export function maskHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value)
      ? value.join(', ')
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
    out[name.toLowerCase()] = CREDENTIAL_HEADERS.includes(name.toLowerCase()) ? MASK : text;
  }
  return out;
}

/**
 * Masks credential-looking JSON fields (passwords in Keystone or
 * Sharedcloud log-ins, tokens in their answers) in captured body text, even
 * when the capture was cut off mid-value.
 */
export function maskBody(text: string): string {
  return text.replace(CREDENTIAL_FIELD, (_m, key: string, close: string) => `${key}"${MASK}${close}`);
}
