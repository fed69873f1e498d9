/** A value nothing may change: what the store hands out. The types forbid a write, `deepFreeze` makes one throw. */
export type Frozen<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? readonly Frozen<E>[]
    : T extends object
      ? { readonly [K in keyof T]: Frozen<T[K]> }
      : T;

/**
 * Freezes a plain JSON value and everything in it, in place. Records are
 * frozen as they enter a collection, so a route that tries to change one
 * in place fails at once instead of changing memory the log never sees.
 */
export function deepFreeze<T>(value: T): Frozen<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value as Frozen<T>;
}
