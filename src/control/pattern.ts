/**
 * Path patterns shared by journal filters and fault rules: `*` matches
 * within one path segment, `**` across segments, everything else literally
 * (so one pattern with a star for the service and one for the environment
 * matches every CloudMC list call).
 */
export function pathPattern(pattern: string): (path: string) => boolean {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(path);
}

/** Methods are compared case-insensitively; a list matches any of its members. */
export function methodMatcher(methods: string | string[] | undefined): (method: string) => boolean {
  if (methods === undefined) return () => true;
  const wanted = new Set((Array.isArray(methods) ? methods : [methods]).map((m) => m.toUpperCase()));
  return (method) => wanted.has(method.toUpperCase());
}

/** `503`, `5xx` or `4xx`. */
export function statusMatcher(status: string | number | undefined): (status: number) => boolean {
  if (status === undefined) return () => true;
  const text = String(status).toLowerCase();
  if (/^[1-5]xx$/.test(text)) return (s) => Math.floor(s / 100) === Number(text[0]);
  return (s) => s === Number(text);
}

export function isStatusFilter(value: string): boolean {
  return /^[1-5]xx$/i.test(value) || /^[1-5]\d\d$/.test(value);
}
