import type { DirectoryEntry, DirectoryReport } from '../../../shared/contract';
import { invisibleCharacter, nameKey } from '../../../shared/names';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { CommandContext } from '../../dispatch/context';
import { linkNewGroup } from '../access/tree';
import { siblingWithName } from '../groups/records';
import { companyPeople } from '../sso/store';
import { recordChange } from '../versions/object-versions';
import { syncedDepartments, type SyncedDepartment } from './store';

const SKIPPED_SHOWN = 100;
/** As a group name typed in the console (shared/contract/fields.ts `groupName`). */
const NAME_MAX = 120;

interface Plan {
  /** Per person, the name keys (R24, `nameKey`) of the departments they belong in. */
  wanted: Map<string, Set<string>>;
  /** Each department's name key, with the spelling that names it (the first in order). */
  names: Map<string, string>;
  skipped: Array<{ entry: string; reason: string }>;
}

/** Why a directory's department name cannot name a group, as the console refuses it (R24); null when it can. */
function departmentNameProblem(name: string): string | null {
  const invisible = invisibleCharacter(name);
  if (invisible) return `the department name contains an invisible character (${invisible})`;
  if (name.trim() === '') return 'the department name is empty';
  if (name.trim().length > NAME_MAX) return `the department name is longer than ${NAME_MAX} characters`;
  return null;
}

/**
 * Which departments each person of the company should be in, by the directory; entries that
 * match nobody, and department names no group may have, are skipped with why. Names that read
 * the same (R24: "Sales" and "sales") are one department.
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
      const problem = departmentNameProblem(name);
      if (problem) {
        refused.set(name, problem);
        continue;
      }
      const key = nameKey(name);
      mine.add(key);
      // The same spelling on every run, whatever order the directory answers in.
      const prior = names.get(key);
      if (prior === undefined || name.trim() < prior) names.set(key, name.trim());
    }
    wanted.set(userId, mine);
  }
  for (const [name, reason] of refused) skipped.push({ entry: name, reason });
  return { wanted, names, skipped };
}

/**
 * Issue 14, R29: one directory sync run for a company, inside its command's transaction: adds the
 * departments new in the directory (or takes over a hand-made department whose name reads the
 * same, R24),
 * sets each matched person's memberships of synced departments to the directory's, removes
 * synced departments the directory no longer has (the group itself when nothing else is in
 * it), and leaves memberships of departments that are not synced untouched. People are
 * matched by email, case-insensitively, among the company's own people. Returns the report
 * (also the run's audit event).
 */
export function applyDirectory(
  db: Db,
  ctx: CommandContext,
  company: { id: string; name: string },
  entries: readonly DirectoryEntry[],
  source: string,
  trigger: DirectoryReport['trigger'],
): DirectoryReport {
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
  // Keyed as names read (R24); of two synced departments that read the same (from before), the first stays and the other goes.
  const byName = new Map<string, SyncedDepartment>();
  for (const d of syncedDepartments(db, company.id)) if (!byName.has(nameKey(d.directory_name))) byName.set(nameKey(d.directory_name), d);
  const mark = stmt(db, 'INSERT INTO directory_departments (group_id, company_id, directory_name, source) VALUES (?, ?, ?, ?)');
  for (const [key, name] of [...names].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (byName.has(key)) continue;
    const sibling = siblingWithName(db, company.id, name);
    const existing = sibling
      ? stmt<[string], { id: string; kind: string }>(db, 'SELECT id, kind FROM groups WHERE id = ?').get(sibling.id)
      : undefined;
    if (existing && existing.kind !== 'department') {
      skipped.push({ entry: name, reason: `“${company.name}” already has a ${existing.kind} of this name` });
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
    byName.set(key, { group_id: id, directory_name: name, name, source });
    report.departments.added.push(name);
  }
  const syncedIds = new Set([...byName.values()].map((d) => d.group_id));
  const nameOf = new Map([...byName.values()].map((d) => [d.group_id, d.directory_name]));
  const gone = [
    ...[...byName.values()].filter((d) => !names.has(nameKey(d.directory_name))),
    ...syncedDepartments(db, company.id).filter((d) => !syncedIds.has(d.group_id)),
  ];

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
        .map((n) => byName.get(n)?.group_id)
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
