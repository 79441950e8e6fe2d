import { afterEach, describe, expect, it } from 'vitest';
import type { DirectoryView } from '../../shared/contract';
import { runMigrations, SCHEMA_VERSION } from '../../main/db/migrations';
import { worldPerTest } from '../helpers/world';

const world = worldPerTest(afterEach);

/** Migration 31 on a data folder whose LDAP sync was set up before it (issue 14). */
describe('migration 31 on a database from before it', () => {
  it('keeps the LDAP sync as it was (settings, sealed password, version), admits the new connectors and guards what the sync owns', async () => {
    const w = world();
    const db = w.steward.db;
    const company = w.group(w.rootId, 'customer', 'Contoso');
    const finance = w.group(company, 'department', 'Finance');
    // directory_sync as migration 23 made it, with a row as Steward wrote it then (no connector in the settings).
    db.exec(`DROP TRIGGER directory_owned_group_update; DROP TRIGGER directory_owned_group_delete;
      DROP TRIGGER directory_owned_membership_insert; DROP TRIGGER directory_owned_membership_delete;
      DROP TABLE directory_applying; DROP TABLE directory_sync;
      CREATE TABLE directory_sync (
        company_id TEXT PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
        connector TEXT NOT NULL CHECK (connector IN ('ldap')),
        settings TEXT NOT NULL, secret_sealed BLOB,
        enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0,1)),
        enabled_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        last_run_at INTEGER, last_report TEXT, version INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL
      ) STRICT;`);
    const settings = {
      url: 'ldaps://dc1.contoso.test',
      bindDn: 'cn=steward,dc=contoso,dc=test',
      baseDn: 'dc=contoso,dc=test',
      filter: '(objectClass=user)',
      departmentAttribute: 'department',
      emailAttribute: 'mail',
    };
    const sealed = w.steward.secrets.seal(Buffer.from('bind password from before', 'utf8'));
    db.prepare(
      "INSERT INTO directory_sync (company_id, connector, settings, secret_sealed, enabled, enabled_by, version, updated_at) VALUES (?, 'ldap', ?, ?, 1, ?, 4, 1)",
    ).run(company, JSON.stringify(settings), sealed, w.ownerId);
    db.prepare(
      "INSERT INTO directory_departments (group_id, company_id, directory_name, source) VALUES (?, ?, 'Finance', 'LDAP ldaps://dc1.contoso.test')",
    ).run(finance, company);
    db.pragma('user_version = 30'); // the last step before 31, whichever of 24–30 exist

    runMigrations(db);

    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const view = await w.ok<DirectoryView>(w.ownerId, 'directory.get', { companyId: company });
    expect(view).toMatchObject({
      configured: true,
      enabled: true,
      hasSecret: true,
      version: 4,
      settings: { connector: 'ldap', ...settings },
    });
    const row = db.prepare('SELECT secret_sealed FROM directory_sync WHERE company_id = ?').get(company) as { secret_sealed: Buffer };
    expect(w.steward.secrets.open(row.secret_sealed).toString('utf8')).toBe('bind password from before');
    // The new connectors are admitted, and the guard of what the sync owns is in place.
    expect(() => db.prepare("UPDATE directory_sync SET connector = 'graph' WHERE company_id = ?").run(company)).not.toThrow();
    expect(() => db.prepare("UPDATE groups SET name = 'Money' WHERE id = ?").run(finance)).toThrow(/R29/);
  });
});
