import type Database from 'better-sqlite3';

/**
 * A value made once per connection and key (a prepared statement, a table's SQL), kept as
 * long as the connection: keyed by the connection object, so two databases never share one.
 */
export function perConnection<K, V>(cache: WeakMap<Database.Database, Map<K, V>>, db: Database.Database, key: K, make: () => V): V {
  let byKey = cache.get(db);
  if (!byKey) cache.set(db, (byKey = new Map()));
  let value = byKey.get(key);
  if (value === undefined) byKey.set(key, (value = make()));
  return value;
}

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per connection and reused: compiling costs more
 * than running most of Steward's queries.
 */
export function stmt<P extends unknown[] | object = unknown[], R = unknown>(db: Database.Database, sql: string): Database.Statement<P, R> {
  return perConnection(caches, db, sql, () => db.prepare(sql)) as Database.Statement<P, R>;
}
