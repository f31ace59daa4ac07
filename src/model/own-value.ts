// Reading a plain object by a key that came from input (a label, a site's user region, a GPU model): a
// plain object inherits `constructor`, `toString`, `__proto__` and the rest of Object.prototype, so
// `record[key]` answers a function or an object for such a key instead of "not there". Objects copied
// between threads or parsed from JSON always have that prototype again, so the check belongs at the read.

/** The record's own value for `key`, or undefined when the record has none (inherited properties ignored). */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
