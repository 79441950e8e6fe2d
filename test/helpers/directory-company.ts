import type Database from 'better-sqlite3';
import type { DirectoryView } from '../../shared/contract';
import { ROLE, World } from './world';
import { manualClock, tempSteward } from './temp-steward';

/**
 * A company (Contoso, a customer) whose people have the emails `person<i>@contoso.test`, for
 * the directory connector tests; `memberships()` reads who is in which department from the
 * database itself.
 */
export function directoryCompany(people: number) {
  const clock = manualClock();
  const w = new World(tempSteward({ clock, background: false }), clock);
  const company = w.group(w.rootId, 'customer', 'Contoso');
  w.bind(w.user('carol', company), ROLE.owner, company);
  const ids: string[] = [];
  const rename = w.steward.db.prepare('UPDATE users SET email = ?, username = ? WHERE id = ?');
  for (let i = 0; i < people; i += 1) {
    const id = w.user(`person${i}`, company);
    rename.run(`person${i}@contoso.test`, `person${i}`, id);
    ids.push(id);
  }
  const memberships = () => departmentMemberships(w.steward.db);
  const stored = () =>
    w.steward.db.prepare('SELECT connector, settings, secret_sealed, version FROM directory_sync WHERE company_id = ?').get(company) as
      { connector: string; settings: string; secret_sealed: Buffer | null; version: number } | undefined;
  const view = () => w.ok<DirectoryView>(w.ownerId, 'directory.get', { companyId: company });
  /** Every place a secret must never be written: the audit trail, the change feed a replica pulls, the command log. */
  const written = () =>
    [
      ...w.steward.db.prepare('SELECT before, after FROM audit_events').all(),
      ...w.steward.db.prepare('SELECT row FROM changes').all(),
      ...w.steward.db.prepare('SELECT envelope FROM command_log').all(),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
  return { w, clock, company, ids, memberships, stored, view, written };
}

/** Who is in which department, by username, read from the database itself (departments sorted by name). */
export function departmentMemberships(db: Database.Database): Map<string, string[]> {
  const rows = db
    .prepare(
      `SELECT u.username, g.name FROM user_departments m JOIN users u ON u.id = m.user_id JOIN groups g ON g.id = m.group_id
        ORDER BY u.username, g.name`,
    )
    .all() as Array<{ username: string; name: string }>;
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.username, [...(out.get(r.username) ?? []), r.name]);
  return out;
}
