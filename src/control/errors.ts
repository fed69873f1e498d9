/** A control request the mock refuses; the message says what to change. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export const badRequest = (message: string) => new ControlError(400, message);
export const notFound = (message: string) => new ControlError(404, message);

/** Rejects any key of a control body the endpoint does not know, naming it. */
export function onlyKnownKeys(body: Record<string, unknown>, known: readonly string[], what: string): void {
  const unknown = Object.keys(body).find((k) => !known.includes(k));
  if (unknown !== undefined) {
    throw badRequest(`${what}: unknown field '${unknown}' (known: ${known.join(', ')})`);
  }
}

export function asObject(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest(`${what}: body must be a JSON object`);
  return body as Record<string, unknown>;
}
