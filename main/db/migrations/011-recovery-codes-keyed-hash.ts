import { recoveryCodeMac } from '../../features/auth/recovery-codes';
import type { Migration } from './index';

/**
 * Recovery codes were stored as plain SHA-256 of 50-bit codes, which a copy of the
 * database lets anyone brute-force offline. Each stored digest becomes HMAC(key, digest)
 * under the installation's key, so existing codes keep working (a typed code is checked
 * as HMAC(key, SHA-256(code))) and a copy without the key can test nothing.
 */
export const recoveryCodesKeyedHash: Migration = {
  version: 11,
  name: 'recovery-codes-keyed-hash',
  sql: '',
  run(db, env) {
    const rows = db.prepare<[], { rowid: number; code_hash: string }>('SELECT rowid, code_hash FROM recovery_codes').all();
    if (rows.length === 0) return;
    if (!env.secrets) throw new Error("Upgrading this database's recovery codes needs its data folder's key; open it with Steward.");
    const update = db.prepare('UPDATE recovery_codes SET code_hash = ? WHERE rowid = ?');
    for (const row of rows) update.run(recoveryCodeMac(env.secrets, row.code_hash), row.rowid);
  },
};
