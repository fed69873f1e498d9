import { CREDENTIAL_HEADERS } from '../http/credentials.js';

export const MASK = '[masked]';

/**
 * Names whose values are credentials in JSON fields, forms, multipart parts
 * and query strings. The journal and the recorder (src/record/mask.ts) both use it.
 */
export const CREDENTIAL_NAME =
  /pass(?:word|wd|phrase)?s?$|secret|token|api[-_]?key|access[-_]?key|credential|^key$|^auth$/i;

/**
 * A JSON string field: its key (at most 64 characters, so a scan from each
 * quote is bounded and the whole pass stays linear) and its string value,
 * which may be cut off by the capture.
 */
const JSON_STRING_FIELD = /("((?:[^"\\]|\\.){1,64})"\s*:\s*)"(?:[^"\\]|\\.)*("?)/g;

/** Called with each credential value masked (the recorder remembers them, to scrub them elsewhere). */
export type OnSecret = (value: string) => void;

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

const mediaType = (contentType: string | undefined) =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Masks credentials in captured body text, even when the capture was cut
 * off mid-value: the fields of a form or multipart body named like one
 * (Sharedcloud's form login), and credential-looking JSON fields (passwords
 * in Keystone or Sharedcloud log-ins, tokens in their answers) whatever the
 * media type says.
 */
export function maskBody(text: string, contentType?: string): string {
  const type = mediaType(contentType);
  let out = text;
  if (type === 'application/x-www-form-urlencoded') out = maskForm(out, MASK);
  else if (type === 'multipart/form-data') out = maskMultipart(out, contentType!, MASK);
  return out.replace(JSON_STRING_FIELD, (field: string, key: string, name: string, close: string) =>
    CREDENTIAL_NAME.test(name) ? `${key}"${MASK}${close}` : field,
  );
}

/** A parsed query string with the values of credential names masked (`?token=`, `?password=`). */
export function maskQuery(query: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(query)) {
    out[name] = !CREDENTIAL_NAME.test(name) ? value : Array.isArray(value) ? value.map(() => MASK) : MASK;
  }
  return out;
}

/** A request target with the values of credential names in its query string masked (`?token=`, `?password=`). */
export function maskUrl(url: string, mask: string = MASK, onSecret?: OnSecret): string {
  const at = url.indexOf('?');
  return at < 0 ? url : `${url.slice(0, at + 1)}${maskForm(url.slice(at + 1), mask, onSecret)}`;
}

const decodeFormPart = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** Form text with the values of credential names replaced by `mask`; every other byte as it was. */
export function maskForm(text: string, mask: string, onSecret?: OnSecret): string {
  return text
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at < 0 || !CREDENTIAL_NAME.test(decodeFormPart(pair.slice(0, at)))) return pair;
      onSecret?.(decodeFormPart(pair.slice(at + 1)));
      return `${pair.slice(0, at)}=${mask}`;
    })
    .join('&');
}

/**
 * multipart/form-data text with the value of each part named like a
 * credential replaced by `mask` (a last part cut off mid-value too); file
 * parts and every other byte as they were.
 */
export function maskMultipart(text: string, contentType: string, mask: string, onSecret?: OnSecret): string {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return text;
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  return text
    .split(delimiter)
    .map((part) => {
      const headEnd = part.indexOf('\r\n\r\n');
      if (headEnd < 0) return part;
      const head = part.slice(0, headEnd);
      const name = /content-disposition:[^\r\n]*?[;\s]name="([^"]*)"/i.exec(head)?.[1];
      if (name === undefined || !CREDENTIAL_NAME.test(name)) return part;
      const value = part.slice(headEnd + 4);
      const end = value.endsWith('\r\n') ? value.length - 2 : value.length;
      onSecret?.(value.slice(0, end));
      return `${head}\r\n\r\n${mask}${value.slice(end)}`;
    })
    .join(delimiter);
}
