import { decide, type Binding, type Target } from '../../../shared/access/decide';
import { dominates } from '../../../shared/access/dominance';
import { mayActOnOwner } from '../../../shared/access/owner';
import type { GroupKind } from '../../../shared/access/groups';
import type { BulkAction, RefusalReason } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { bindingsOf, resolveTarget } from '../access/access';

/**
 * The one rule for "may this pair change", shared by direct assignment, the dry run and
 * the job runner, written over `decide` itself so that it cannot drift from the
 * single-object check. Paths and assignments are read a chunk at a time.
 */

export interface Place {
  /** Group ids from the device's group up to the root. */
  path: string[];
  kind: GroupKind;
}

const placeCache = new WeakMap<Db, Map<string, Place>>();

/** Commands may move or remove groups: the cache drops after every command (app.ts), like the roles cache. */
export function invalidatePlaces(db: Db): void {
  placeCache.delete(db);
}

/**
 * Group paths for a batch of groups, the missing ones in one query. A job reads the same
 * few thousand groups chunk after chunk, so they are held until the next command.
 */
export function loadPlaces(db: Db, groupIds: Iterable<string>): Map<string, Place> {
  let cache = placeCache.get(db);
  if (!cache) placeCache.set(db, (cache = new Map()));
  const places = new Map<string, Place>();
  const missing = new Set<string>();
  for (const id of groupIds) {
    const hit = cache.get(id);
    if (hit) places.set(id, hit);
    else missing.add(id);
  }
  if (missing.size === 0) return places;
  const rows = stmt<[string], { descendant: string; ancestor: string; kind: GroupKind }>(
    db,
    `SELECT c.descendant, c.ancestor, g.kind FROM group_closure c JOIN groups g ON g.id = c.descendant
     WHERE c.descendant IN (SELECT value FROM json_each(?)) ORDER BY c.descendant, c.depth`,
  ).all(JSON.stringify([...missing]));
  for (const row of rows) {
    let place = places.get(row.descendant);
    if (!place) {
      places.set(row.descendant, (place = { path: [], kind: row.kind }));
      cache.set(row.descendant, place);
    }
    place.path.push(row.ancestor);
  }
  return places;
}

/**
 * Which of `userIds` hold which of `deviceIds`: a set of "device\tuser" keys. Read as all
 * holders of each device (one index range per device) and kept for the users asked about.
 */
export function loadAssignments(db: Db, deviceIds: readonly string[], userIds: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (deviceIds.length === 0 || userIds.length === 0) return out;
  // Both columns of the primary key: one lookup per pair, whatever else holds the devices.
  const rows = stmt<[string, string], { device_id: string; user_id: string }>(
    db,
    `SELECT device_id, user_id FROM device_assignments
     WHERE device_id IN (SELECT value FROM json_each(?)) AND user_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(deviceIds), JSON.stringify([...new Set(userIds)]));
  for (const row of rows) out.add(pairKey(row.device_id, row.user_id));
  return out;
}

export const pairKey = (deviceId: string, userId: string) => `${deviceId}\t${userId}`;

export interface Subject {
  userId: string;
  bindings: Binding[];
}

/** An inactive or removed starter acts with no bindings: everything is out of their scope. */
export function actorSubject(db: Db, userId: string | null): Subject {
  if (!userId) return { userId: '', bindings: [] };
  const status = stmt<[string], { status: string }>(db, 'SELECT status FROM users WHERE id = ?').get(userId)?.status;
  return { userId, bindings: status === 'active' ? bindingsOf(db, userId) : [] };
}

export interface Member extends Subject {
  username: string;
  /** The actor may see this member (users.view at their home group); unknown ids are not visible. */
  visible: boolean;
}

export function loadMembers(db: Db, actor: Subject, userIds: readonly string[]): Member[] {
  return userIds.map((id) => {
    const target = resolveTarget(db, 'user', id, actor.userId);
    const visible = target !== undefined && (id === actor.userId || decide(actor.bindings, 'users.view', target).allowed);
    return { userId: id, username: target?.name ?? '', visible, bindings: target ? bindingsOf(db, id) : [] };
  });
}

export interface DevicePairs {
  /** Members whose pair with this device is to change. */
  change: string[];
  unchanged: number;
  refused: Array<{ userId: string; reason: RefusalReason }>;
}

const deviceTarget = (id: string, place: Place, assignedToSubject: boolean): Target => ({
  type: 'device',
  id,
  path: place.path,
  kind: place.kind,
  assignedToSubject,
});

/** The device is visible to the actor (devices.view, seed 000's assignment rule included). */
export function actorSees(actor: Subject, deviceId: string, place: Place, assigned: Set<string>): boolean {
  return decide(actor.bindings, 'devices.view', deviceTarget(deviceId, place, assigned.has(pairKey(deviceId, actor.userId)))).allowed;
}

/** The actor may assign this device (devices.assign; an 'assigned'-visibility role only on devices it holds). */
export function actorAssigns(actor: Subject, deviceId: string, place: Place, assigned: Set<string>): boolean {
  return decide(actor.bindings, 'devices.assign', deviceTarget(deviceId, place, assigned.has(pairKey(deviceId, actor.userId)))).allowed;
}

/**
 * Why `member` cannot hold the device, or null when they can: holding is only meaningful
 * when it makes the device visible to them, i.e. some binding of theirs on the device's
 * path grants devices.view (with the device assigned, as it would then be).
 */
export function holdRefusal(member: Subject, deviceId: string, place: Place): RefusalReason | null {
  if (!member.bindings.some((b) => place.path.includes(b.groupId))) return 'member-outside-company';
  return decide(member.bindings, 'devices.view', deviceTarget(deviceId, place, true)).allowed ? null : 'member-cannot-hold';
}

/**
 * R7 and R10 where a device is: the actor holds every key that the member's bindings on the
 * device's path grant there, so handing them the device (or taking it away) gives
 * them nothing the actor could not grant. Each binding's own path is the tail of the
 * device's path from that binding's group up. The actor is compared with themselves too:
 * taking a device gives them the keys of their assigned-only roles on it, which only an
 * actor who already holds them there for every device may do.
 */
export function dominatesAt(actor: Subject, member: Subject, place: Place, assignedToActor: boolean): boolean {
  // A job asks this for every device and member, chunk after chunk, in device-id order (so across every group):
  // the answer depends only on both people's rights, the device's path and whether the actor holds the device.
  const answers = answersFor(actor, member);
  let known = answers.get(place);
  if (!known) answers.set(place, (known = [undefined, undefined]));
  const slot = assignedToActor ? 1 : 0;
  const answer = known[slot];
  if (answer !== undefined) return answer;
  const placed = member.bindings.flatMap((b) => {
    const at = place.path.indexOf(b.groupId);
    return at < 0 ? [] : [{ ...b, path: place.path.slice(at) }];
  });
  // R10 too: an Owner's devices change only by their own hand or an Owner above.
  const person = { bindings: placed, devicesAssignedApart: assignedToActor ? [] : [place.path] };
  const decided = dominates(actor.bindings, person) && mayActOnOwner(actor, { userId: member.userId, bindings: placed });
  known[slot] = decided;
  return decided;
}

/** Answers for one actor and member by device place: [device not held by the actor, held by the actor]. */
type Answers = WeakMap<Place, [boolean | undefined, boolean | undefined]>;
/**
 * Keyed by what the answer depends on, never by identity alone, so a change of anyone's rights
 * is a new key; the identity map in front spares building that key on every call.
 */
const byContent = new Map<string, Answers>();
const byIdentity = new WeakMap<Subject, WeakMap<Subject, Answers>>();
const MEMO_PAIRS = 1000;
const fingerprints = new WeakMap<Subject, string>();

function answersFor(actor: Subject, member: Subject): Answers {
  let inner = byIdentity.get(actor);
  if (!inner) byIdentity.set(actor, (inner = new WeakMap()));
  let answers = inner.get(member);
  if (!answers) {
    const pair = `${fingerprint(actor)}\n${fingerprint(member)}`;
    answers = byContent.get(pair);
    if (!answers) {
      if (byContent.size >= MEMO_PAIRS) byContent.clear();
      byContent.set(pair, (answers = new WeakMap()));
    }
    inner.set(member, answers);
  }
  return answers;
}

/** A person and every binding's group, device visibility, meaning and keys, as text. */
function fingerprint(subject: Subject): string {
  let text = fingerprints.get(subject);
  if (text === undefined) {
    const grants = subject.bindings
      .map((b) => `${b.groupId}|${b.role.deviceVisibility}|${b.role.meaning ?? ''}|${[...b.role.permissions].sort().join(',')}`)
      .sort();
    text = `${subject.userId}:${grants.join(';')}`;
    fingerprints.set(subject, text);
  }
  return text;
}

/**
 * The pairs of one device: refused as a whole when the actor may not see or assign it,
 * else member by member. `place` undefined means the device does not exist.
 */
export function classifyDevice(
  action: BulkAction,
  actor: Subject,
  deviceId: string,
  place: Place | undefined,
  members: readonly Member[],
  assigned: Set<string>,
): DevicePairs {
  const all = (reason: RefusalReason): DevicePairs => ({
    change: [],
    unchanged: 0,
    refused: members.map((m) => ({ userId: m.userId, reason })),
  });
  if (!place || !actorSees(actor, deviceId, place, assigned)) return all('device-not-found');
  if (!actorAssigns(actor, deviceId, place, assigned)) return all('device-out-of-scope');
  const out: DevicePairs = { change: [], unchanged: 0, refused: [] };
  for (const member of members) {
    if (!member.visible) {
      out.refused.push({ userId: member.userId, reason: 'member-not-visible' });
      continue;
    }
    if (!dominatesAt(actor, member, place, assigned.has(pairKey(deviceId, actor.userId)))) {
      out.refused.push({ userId: member.userId, reason: 'member-holds-more' });
      continue;
    }
    const holds = assigned.has(pairKey(deviceId, member.userId));
    if (action === 'unassign') {
      if (holds) out.change.push(member.userId);
      else out.unchanged++;
      continue;
    }
    if (holds) {
      out.unchanged++;
      continue;
    }
    const refusal = holdRefusal(member, deviceId, place);
    if (refusal) out.refused.push({ userId: member.userId, reason: refusal });
    else out.change.push(member.userId);
  }
  return out;
}

export const REFUSAL_MESSAGES: Record<RefusalReason, string> = {
  'device-not-found': 'The device does not exist, or you may not see it',
  'device-out-of-scope': 'The device is outside your scope: your role lacks devices.assign (Assign devices to team members) there',
  'member-not-visible': 'You may not see this member',
  'member-outside-company': 'The member is outside the device’s company: none of their roles reaches its group',
  'member-cannot-hold': 'The member cannot hold devices there: their role grants no devices.view (View devices)',
  'member-holds-more': 'The member holds rights there that you do not; only someone who holds all of them may change their devices',
  'starter-lost-authority':
    'Not done: the job stopped because its starter lost a right it needs (devices.view, devices.assign or users.view); see the job’s note',
};

/** Refusals that come from the actor's own rights, as opposed to the member's. */
export const ACTOR_REFUSALS: ReadonlySet<RefusalReason> = new Set([
  'device-not-found',
  'device-out-of-scope',
  'member-not-visible',
  // Dominance (R7) compares the actor's rights with the member's: losing rights can make it fail.
  'member-holds-more',
]);
