import type { DirectoryEntry, DirectoryReport } from '../../../shared/contract';
import { groupName } from '../../../shared/contract/fields';
import { nameKey } from '../../../shared/names';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { CommandContext } from '../../dispatch/context';
import { linkNewGroup } from '../access/tree';
import { groupRow, siblingWithName } from '../groups/records';
import { companyPeople } from '../sso/store';
import { recordChange } from '../versions/object-versions';
import { syncedDepartments } from './store';

const SKIPPED_SHOWN = 100;

interface Plan {
  /** Per person, the name keys of the departments the directory puts them in. */
  wanted: Map<string, Set<string>>;
  /** Each department by name key, spelled as the directory first spelled it. */
  names: Map<string, string>;
  skipped: Array<{ entry: string; reason: string }>;
}

/**
 * Which departments each person of the company should be in, by the directory; entries that
 * match nobody are skipped with why. Department names are group names (R24): a name Steward
 * would refuse is skipped with the reason, and names that read alike are one department.
 */
function plan(db: Db, companyId: string, entries: readonly DirectoryEntry[]): Plan {
  const people = new Map(companyPeople(db, companyId).map((p) => [p.email.toLowerCase(), p.id]));
  const wanted = new Map<string, Set<string>>();
  const names = new Map<string, string>();
  const refused = new Map<string, string>();
  const skipped: Plan['skipped'] = [];
  for (const entry of entries) {
    if (!entry.email) {
      skipped.push({ entry: entry.dn, reason: 'no email address in the directory' });
      continue;
    }
    const userId = people.get(entry.email.toLowerCase());
    if (!userId) {
      skipped.push({ entry: entry.email, reason: 'no Steward account of this company has this email' });
      continue;
    }
    const mine = wanted.get(userId) ?? new Set<string>();
    for (const name of entry.departments) {
      const checked = groupName.safeParse(name);
      if (!checked.success) {
        if (!refused.has(name)) refused.set(name, checked.error.issues[0]?.message ?? 'not a valid name');
        continue;
      }
      const key = nameKey(checked.data);
      mine.add(key);
      if (!names.has(key)) names.set(key, checked.data);
    }
    wanted.set(userId, mine);
  }
  for (const [name, reason] of refused) skipped.push({ entry: name.slice(0, 200), reason: `not usable as a department name: ${reason}` });
  return { wanted, names, skipped };
}

/**
 * Issue 14, R29: one directory sync run for a company, inside its command's transaction: adds the
 * departments new in the directory (or takes over a hand-made department of the same name),
 * sets each matched person's memberships of synced departments to the directory's, removes
 * synced departments the directory no longer has (the group itself when nothing else is in
 * it), and leaves memberships of departments that are not synced untouched. People are
 * matched by email, case-insensitively, among the company's own people. Returns the report
 * (also the run's audit event).
 */
export function applyDirectory(db: Db, ctx: CommandContext, run: DirectoryRun): DirectoryReport {
  // The sync is the one writer of what it owns (migration 31's guard): it says so for the length of the run, never past it.
  stmt(db, 'INSERT INTO directory_applying (company_id) VALUES (?)').run(run.company.id);
  try {
    return applyRun(db, ctx, run);
  } finally {
    stmt(db, 'DELETE FROM directory_applying WHERE company_id = ?').run(run.company.id);
  }
}

/** One run's input: whose directory, what it holds, where it was read ("synced from …") and what started the run. */
export interface DirectoryRun {
  company: { id: string; name: string };
  entries: readonly DirectoryEntry[];
  source: string;
  trigger: DirectoryReport['trigger'];
}

function applyRun(db: Db, ctx: CommandContext, { company, entries, source, trigger }: DirectoryRun): DirectoryReport {
  const now = ctx.clock.now();
  const { wanted, names, skipped } = plan(db, company.id, entries);
  const report: DirectoryReport = {
    at: now,
    trigger,
    stopped: null,
    departments: { added: [], removed: [] },
    people: { changed: [], unchanged: 0 },
    skipped: [],
    skippedCount: 0,
  };
  const byKey = new Map(syncedDepartments(db, company.id).map((d) => [nameKey(d.directory_name), d]));
  // The connection may have changed since a department was first synced: every marker names the current one.
  stmt(db, 'UPDATE directory_departments SET source = ? WHERE company_id = ? AND source <> ?').run(source, company.id, source);
  const mark = stmt(db, 'INSERT INTO directory_departments (group_id, company_id, directory_name, source) VALUES (?, ?, ?, ?)');
  for (const [key, name] of [...names].sort((a, b) => a[1].localeCompare(b[1]))) {
    if (byKey.has(key)) continue;
    const existing = siblingWithName(db, company.id, name);
    const kind = existing ? groupRow(db, existing.id)?.kind : undefined;
    if (existing && kind !== 'department') {
      skipped.push({ entry: name, reason: `“${company.name}” already has a ${kind ?? 'group'} of this name` });
      continue;
    }
    const id = existing?.id ?? ctx.entropy.id();
    if (!existing) {
      stmt(db, "INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, ?, 'department', ?, ?, ?)").run(
        id,
        company.id,
        name,
        now,
        now,
      );
      linkNewGroup(db, id, company.id);
    }
    mark.run(id, company.id, name, source);
    byKey.set(key, { group_id: id, directory_name: name, name: existing?.name ?? name, source });
    report.departments.added.push(name);
  }
  const syncedIds = new Set([...byKey.values()].map((d) => d.group_id));
  const nameOf = new Map([...byKey.values()].map((d) => [d.group_id, d.directory_name]));
  const gone = [...byKey.entries()].filter(([key]) => !names.has(key)).map(([, d]) => d);

  const current = new Map<string, Set<string>>();
  for (const row of stmt<[string], { user_id: string; group_id: string }>(
    db,
    'SELECT m.user_id, m.group_id FROM user_departments m JOIN directory_departments d ON d.group_id = m.group_id WHERE d.company_id = ?',
  ).all(company.id)) {
    current.set(row.user_id, (current.get(row.user_id) ?? new Set()).add(row.group_id));
  }
  const add = stmt(db, 'INSERT INTO user_departments (user_id, group_id) VALUES (?, ?)');
  const drop = stmt(db, 'DELETE FROM user_departments WHERE user_id = ? AND group_id = ?');
  const username = stmt<[string], { username: string }>(db, 'SELECT username FROM users WHERE id = ?');
  for (const userId of new Set([...wanted.keys(), ...current.keys()])) {
    const have = current.get(userId) ?? new Set<string>();
    const want = new Set(
      [...(wanted.get(userId) ?? [])]
        .map((key) => byKey.get(key)?.group_id)
        .filter((id): id is string => id !== undefined && syncedIds.has(id)),
    );
    const added = [...want].filter((id) => !have.has(id));
    const removed = [...have].filter((id) => !want.has(id));
    if (added.length === 0 && removed.length === 0) {
      report.people.unchanged += 1;
      continue;
    }
    for (const id of added) add.run(userId, id);
    for (const id of removed) drop.run(userId, id);
    recordChange(db, ctx, { type: 'user', id: userId }, ['departments']);
    report.people.changed.push({
      username: username.get(userId)?.username ?? userId,
      added: added.map((id) => nameOf.get(id) ?? id).sort(),
      removed: removed.map((id) => nameOf.get(id) ?? id).sort(),
    });
  }
  for (const department of gone) {
    stmt(db, 'DELETE FROM user_departments WHERE group_id = ?').run(department.group_id);
    stmt(db, 'DELETE FROM directory_departments WHERE group_id = ?').run(department.group_id);
    report.departments.removed.push(department.directory_name);
    if (holdsNothing(db, department.group_id)) stmt(db, 'DELETE FROM groups WHERE id = ?').run(department.group_id);
    else
      skipped.push({
        entry: department.directory_name,
        reason: 'gone from the directory; kept as a department managed by hand, as people or roles are still there',
      });
  }
  report.people.changed.sort((a, b) => a.username.localeCompare(b.username));
  report.skippedCount = skipped.length;
  report.skipped = skipped.slice(0, SKIPPED_SHOWN);
  return report;
}

/** A department with no child groups, devices, people homed there, roles of its own or role bindings can go with its directory entry. */
function holdsNothing(db: Db, groupId: string): boolean {
  return (
    stmt<[string, string, string, string, string], { n: number }>(
      db,
      `SELECT (SELECT count(*) FROM groups WHERE parent_id = ?) + (SELECT count(*) FROM devices WHERE group_id = ?)
            + (SELECT count(*) FROM users WHERE home_group_id = ?) + (SELECT count(*) FROM roles WHERE owner_group_id = ?)
            + (SELECT count(*) FROM role_bindings WHERE group_id = ?) AS n`,
    ).get(groupId, groupId, groupId, groupId, groupId)?.n === 0
  );
}
