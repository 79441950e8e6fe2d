import { decide, type Binding, type Target, type TargetType } from '../../../shared/access/decide';
import type { Db } from '../../../main/db/connection';
import { bindingsOf, resolveTarget } from '../../../main/features/access/access';
import { invalidateRoles } from '../../../main/features/access/roles-cache';

/** One object of the world as `decide` sees it; a device's assignees are kept apart because they depend on the subject. */
export interface WorldObject {
  ref: string;
  name: string;
  target: Omit<Target, 'assignedToSubject'>;
  assignees: ReadonlySet<string>;
}

export interface Person {
  id: string;
  username: string;
  active: boolean;
  bindings: Binding[];
}

/** Everyone's bindings and every object's place, frozen at one moment (roles copied, so later edits do not leak in). */
export interface Snapshot {
  persons: Map<string, Person>;
  objects: Map<string, WorldObject>;
}

const TYPES: Array<{ type: TargetType; sql: string }> = [
  { type: 'group', sql: 'SELECT id FROM groups' },
  { type: 'user', sql: 'SELECT id FROM users' },
  { type: 'device', sql: 'SELECT id FROM devices' },
  { type: 'role', sql: 'SELECT id FROM roles' },
];

export function snapshot(db: Db): Snapshot {
  invalidateRoles(db);
  const persons = new Map<string, Person>();
  for (const row of db.prepare('SELECT id, username, status FROM users').all() as Array<{ id: string; username: string; status: string }>) {
    const bindings = bindingsOf(db, row.id).map((b) => ({
      groupId: b.groupId,
      role: { ...b.role, permissions: new Set(b.role.permissions) },
    }));
    persons.set(row.id, { id: row.id, username: row.username, active: row.status === 'active', bindings });
  }
  const assignees = new Map<string, Set<string>>();
  for (const a of db.prepare('SELECT device_id, user_id FROM device_assignments').all() as Array<{ device_id: string; user_id: string }>) {
    const set = assignees.get(a.device_id) ?? new Set<string>();
    set.add(a.user_id);
    assignees.set(a.device_id, set);
  }
  const objects = new Map<string, WorldObject>();
  for (const { type, sql } of TYPES) {
    for (const { id } of db.prepare(sql).all() as Array<{ id: string }>) {
      const resolved = resolveTarget(db, type, id, '');
      if (!resolved) continue;
      const ref = `${type}:${id}`;
      objects.set(ref, {
        ref,
        name: `${type} ${resolved.name}`,
        target: { type, id, path: resolved.path, kind: resolved.kind },
        assignees: assignees.get(id) ?? new Set(),
      });
    }
  }
  return { persons, objects };
}

/** A (permission, target) pair, `key on <type>:<id>`; `readable` swaps the id for the object's name. */
export type Pair = string;

export function readable(pairs: readonly Pair[], ...snapshots: Snapshot[]): string[] {
  return pairs.map((pair) =>
    pair.replace(/ on (\w+:.+)$/, (_, ref: string) => ` on ${snapshots.map((s) => s.objects.get(ref)?.name).find(Boolean) ?? ref}`),
  );
}

/**
 * Every pair `bindings` allow over `objects` for `subjectId`, each decided by `decide`
 * itself; only keys some binding on the object's path grants are asked, for speed.
 */
export function pairsOf(bindings: readonly Binding[], subjectId: string, objects: Iterable<WorldObject>): Set<Pair> {
  const out = new Set<Pair>();
  for (const object of objects) {
    const candidates = new Set<string>();
    for (const b of bindings) if (object.target.path.includes(b.groupId)) for (const key of b.role.permissions) candidates.add(key);
    const target: Target =
      object.target.type === 'device' ? { ...object.target, assignedToSubject: object.assignees.has(subjectId) } : object.target;
    for (const key of candidates) if (decide(bindings, key, target).allowed) out.add(`${key} on ${object.ref}`);
  }
  return out;
}

/** The objects of `after`, each as it stood in `before`; a new object at its new place, assigned to nobody yet. */
function asBefore(before: Snapshot, after: Snapshot): WorldObject[] {
  return [...after.objects.values()].map((o) => before.objects.get(o.ref) ?? { ...o, assignees: new Set<string>() });
}

/** What a person held over the objects that exist now, with the rights and places of before (nothing if disabled or new). */
export function heldBefore(before: Snapshot, after: Snapshot, personId: string): Set<Pair> {
  const p = before.persons.get(personId);
  return p?.active ? pairsOf(p.bindings, personId, asBefore(before, after)) : new Set();
}

export function heldAfter(after: Snapshot, personId: string): Set<Pair> {
  const p = after.persons.get(personId);
  return p?.active ? pairsOf(p.bindings, personId, after.objects.values()) : new Set();
}

/**
 * What the actor could have granted: its pairs before, plus, for an object that stayed in
 * place but changed kind (groups.update), what its old bindings give at the new kind (a
 * module that became available is the actor's to open where it holds the key there).
 */
export function grantable(before: Snapshot, after: Snapshot, actorId: string): Set<Pair> {
  const actor = before.persons.get(actorId);
  if (!actor?.active) return new Set();
  const out = heldBefore(before, after, actorId);
  const changedKind = [...after.objects.values()].flatMap((o) => {
    const old = before.objects.get(o.ref);
    return old && old.target.kind !== o.target.kind && old.target.path.join('/') === o.target.path.join('/')
      ? [{ ...o, assignees: old.assignees }]
      : [];
  });
  for (const pair of pairsOf(actor.bindings, actorId, changedKind)) out.add(pair);
  return out;
}

const bindingsKey = (p: Person | undefined) =>
  p?.active
    ? p.bindings
        .map((b) => `${b.role.id}@${b.groupId}:${b.role.deviceVisibility}:${[...b.role.permissions].sort().join(',')}`)
        .sort()
        .join(';')
    : '';
const placeKey = (o: WorldObject | undefined, personId: string) =>
  o ? `${o.target.kind}:${o.target.path.join('/')}:${o.assignees.has(personId)}` : '';

/**
 * Pairs the person holds now and did not hold before. Only objects whose place (or whose
 * assignment to the person) changed are decided again, unless the person's own rights
 * changed; everything else cannot differ, and skipping it keeps 2,000 cases fast.
 */
export function gained(before: Snapshot, after: Snapshot, personId: string): Pair[] {
  const same = bindingsKey(before.persons.get(personId)) === bindingsKey(after.persons.get(personId));
  const changed = [...after.objects.values()].filter(
    (o) => !same || placeKey(before.objects.get(o.ref), personId) !== placeKey(o, personId),
  );
  if (changed.length === 0) return [];
  const p = after.persons.get(personId);
  const now = p?.active ? pairsOf(p.bindings, personId, changed) : new Set<Pair>();
  const old = before.persons.get(personId);
  const was = old?.active
    ? pairsOf(old.bindings, personId, asBefore(before, { ...after, objects: new Map(changed.map((o) => [o.ref, o])) }))
    : new Set<Pair>();
  return minus(now, was);
}

export const minus = (a: ReadonlySet<Pair>, b: ReadonlySet<Pair>): Pair[] => [...a].filter((x) => !b.has(x)).sort();
