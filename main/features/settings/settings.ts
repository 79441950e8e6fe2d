import { stmt } from '../../db/statements';
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { HISTORY_RETENTION_MIN_DAYS } from '../../../shared/contract/settings';

const smtp = z
  .object({
    host: z.string(),
    port: z.number().int(),
    secure: z.boolean(),
    username: z.string(),
    /** Sealed with the data folder's key, base64; never returned to a client. */
    passwordSealed: z.string().nullable(),
    from: z.string(),
    /** Absent in values stored before the option existed: those now require TLS too. */
    allowWithoutTls: z.boolean().default(false),
  })
  .nullable();

/** Every setting with its rule and default; a stored value that no longer parses falls back to the default. */
const SETTINGS = {
  'session.idleTimeoutMinutes': z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  'session.absoluteTimeoutHours': z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  'invitations.expiryHours': z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  'audit.retentionDays': z.number().int().min(30).max(36_500).nullable().default(null),
  /** Devices' status history and daily snapshots older than this many days are pruned (R32); null keeps them forever. */
  'history.retentionDays': z.number().int().min(HISTORY_RETENTION_MIN_DAYS).max(36_500).nullable().default(365),
  smtp: smtp.default(null),
  /** The address people reach this console at (http or https URL, no trailing slash); invitation links use it. */
  'console.publicAddress': z.string().nullable().default(null),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]>;

/** Settings are read on every call and written rarely, so values are kept per connection until written. */
const cache = new WeakMap<Db, Map<SettingKey, unknown>>();

export function readSetting<K extends SettingKey>(db: Db, key: K): SettingValue<K> {
  let values = cache.get(db);
  if (!values) {
    values = new Map();
    cache.set(db, values);
  }
  if (values.has(key)) return values.get(key) as SettingValue<K>;
  const row = stmt<[string], { value: string }>(db, 'SELECT value FROM settings WHERE key = ?').get(key);
  const schema = SETTINGS[key];
  const parsed = schema.safeParse(row ? JSON.parse(row.value) : undefined);
  const value = (parsed.success ? parsed.data : schema.parse(undefined)) as SettingValue<K>;
  values.set(key, value);
  return value;
}

/** Drops this connection's settings: another connection wrote them (a read worker's, docs/architecture.md "The read pool"). */
export function forgetSettings(db: Db): void {
  cache.delete(db);
}

export function writeSetting<K extends SettingKey>(db: Db, key: K, value: SettingValue<K>): void {
  const checked = SETTINGS[key].parse(value);
  stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(checked),
  );
  // Dropped rather than updated: the write may yet roll back with its transaction.
  cache.get(db)?.delete(key);
}
