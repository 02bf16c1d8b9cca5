/** Drops keys whose value is undefined, so optional AWS fields are absent rather than null. */
export function withoutUndefined<T extends Record<string, any>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
