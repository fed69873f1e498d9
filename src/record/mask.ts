import { CREDENTIAL_NAME, maskForm, maskMultipart } from '../control/masking.js';
import { CREDENTIAL_HEADERS } from '../http/credentials.js';

/**
 * Credentials never reach a recordings file or a report. Headers that carry
 * them are masked by name; inside bodies (login forms, Keystone requests,
 * token answers) every string under a credential-looking key is masked; and
 * any secret seen once is scrubbed wherever else it shows up (echoed in a URL,
 * a later body, an error message).
 */
export const MASK = '***';

export const SECRET_KEY = CREDENTIAL_NAME;
// Keystone's token method sends {"token": {"id": "<the token>"}}.
const SECRET_UNDER = /token|credential|secret/i;

/** Secrets remembered across exchanges, so a token seen once is scrubbed everywhere after. */
export class SecretSet {
  private readonly values = new Set<string>();

  add(value: string): void {
    // Very short values would scrub ordinary words out of bodies.
    if (value.length >= 6) this.values.add(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(v).join(MASK);
    return out;
  }
}

export type HeaderMap = Record<string, string | string[]>;

/** Masks credential headers, keeping an Authorization scheme word (`Token ***`) for readability. */
export function maskHeaders(headers: HeaderMap, secrets: SecretSet): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!CREDENTIAL_HEADERS.includes(name.toLowerCase())) {
      out[name] = value;
      continue;
    }
    const mask = (v: string) => {
      const scheme = /^(token|bearer|basic|digest|negotiate)\s+(.+)$/i.exec(v);
      if (scheme) {
        secrets.add(scheme[2]!);
        return `${scheme[1]} ${MASK}`;
      }
      // cookie values, not their names or a Set-Cookie's attributes
      if (/cookie/i.test(name) && v.includes('=')) {
        const parts = v.split(/;\s*/);
        const pairs = name.toLowerCase() === 'cookie' ? parts.length : 1;
        return parts
          .map((part, i) => {
            const at = part.indexOf('=');
            if (i >= pairs || at < 0) return part;
            secrets.add(part.slice(at + 1));
            return `${part.slice(0, at)}=${MASK}`;
          })
          .join('; ');
      }
      secrets.add(v);
      return MASK;
    };
    out[name] = Array.isArray(value) ? value.map(mask) : mask(value);
  }
  return out;
}

/** Masks strings under credential keys in a parsed JSON value (a copy). */
export function maskJson(value: unknown, secrets: SecretSet, underSecret = false): unknown {
  if (Array.isArray(value)) return value.map((v) => maskJson(v, secrets, underSecret));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const secretKey = SECRET_KEY.test(key) || (underSecret && key === 'id');
    if (typeof v === 'string' && secretKey) {
      secrets.add(v);
      out[key] = MASK;
    } else {
      out[key] = maskJson(v, secrets, SECRET_UNDER.test(key));
    }
  }
  return out;
}

/** Masks a request or response body given as text: JSON, form-encoded, multipart, or anything else scrubbed. */
export function maskBodyText(text: string, contentType: string, secrets: SecretSet): string {
  const type = contentType.toLowerCase();
  const remember = (v: string) => secrets.add(v);
  if (type.includes('x-www-form-urlencoded')) return maskForm(text, MASK, remember);
  if (type.includes('multipart/form-data')) return maskMultipart(text, contentType, MASK, remember);
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      const masked = maskJson(JSON.parse(text), secrets);
      // keep the original text when nothing needed masking, so spacing survives for replay
      return JSON.stringify(masked) === JSON.stringify(JSON.parse(text)) ? text : JSON.stringify(masked);
    } catch {
      // not JSON after all: scrubbing below still applies
    }
  }
  return text;
}
