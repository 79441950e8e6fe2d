import { dominanceGaps, type DominanceGap, type DominatedPerson, type PlacedBinding } from '../../../shared/access/dominance';
import { permission as lookup } from '../../../shared/access/catalog';
import { decide, type Binding } from '../../../shared/access/decide';
import type { Db } from '../../db/connection';
import type { Authorizer, AuthorizeResult } from '../../dispatch/authorizer';
import type { Actor } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import type { AccessRule, Need, TargetRef } from '../../dispatch/registry';
import { bindingsOf, check, explainFor, resolveTarget, VIEW_KEY, type ResolvedTarget } from './access';
import { findGroup, groupPath } from './tree';
import { stmt } from '../../db/statements';

/** A person's bindings with their groups' paths, as R7 compares them. */
export function placedBindingsOf(db: Db, userId: string): PlacedBinding[] {
  return bindingsOf(db, userId).flatMap((b) => {
    const path = groupPath(db, b.groupId);
    return path ? [{ ...b, path: path.ids }] : [];
  });
}

/**
 * The person as R7 compares them with `actorId`: their placed bindings and, when a role of
 * theirs sees only assigned devices, the groups of devices assigned to them and not to the
 * actor. `device`, when given, is the one device whose hands are changing: only it counts.
 */
export function dominatedPerson(
  db: Db,
  actorId: string,
  userId: string,
  device?: { path: readonly string[]; assignedToActor: boolean },
): DominatedPerson {
  const bindings = placedBindingsOf(db, userId);
  if (!bindings.some((b) => b.role.deviceVisibility === 'assigned')) return { bindings, devicesAssignedApart: [] };
  if (device) return { bindings, devicesAssignedApart: device.assignedToActor ? [] : [device.path] };
  const groups = stmt<[string, string], { group_id: string }>(
    db,
    `SELECT DISTINCT d.group_id FROM device_assignments a JOIN devices d ON d.id = a.device_id
     WHERE a.user_id = ? AND NOT EXISTS (SELECT 1 FROM device_assignments b WHERE b.device_id = a.device_id AND b.user_id = ?)`,
  ).all(userId, actorId);
  const devicesAssignedApart = groups.flatMap((g) => {
    const path = groupPath(db, g.group_id);
    return path ? [path.ids] : [];
  });
  return { bindings, devicesAssignedApart };
}

/**
 * Refuses with FORBIDDEN unless the actor dominates the person (R7), naming the first
 * binding the actor does not cover and the keys missing there. `within` is the device
 * changing hands, if that is all the person gains.
 */
export function requireDominance(
  db: Db,
  actorId: string,
  person: ResolvedTarget,
  field: string | undefined,
  within?: ResolvedTarget,
): void {
  const device = within && { path: within.path, assignedToActor: within.assignedToSubject === true };
  const gap = dominanceGaps(bindingsOf(db, actorId), dominatedPerson(db, actorId, person.id, device), within?.path)[0];
  if (gap)
    throw new OpError(
      'FORBIDDEN',
      `${describeGap(db, actorId, person.name, gap)}; you may act only on people whose rights you hold yourself`,
      fieldOf(field),
    );
}

/**
 * R7's refusal in words: the person's role and group and the keys missing there, where the
 * actor may see that group (groups.view); otherwise neither is named (R13).
 */
export function describeGap(db: Db, actorId: string, personName: string, gap: DominanceGap): string {
  const path = groupPath(db, gap.groupId);
  const seen =
    path !== undefined && check(db, actorId, 'groups.view', { type: 'group', id: gap.groupId, path: path.ids, kind: path.kind }).allowed;
  if (!seen) return `${personName} holds a role at a group you may not see, with rights you do not hold there`;
  const where = findGroup(db, gap.groupId)?.name ?? 'their scope';
  const keys = gap.missing.map((key) => lookup(key.split(' ')[0] ?? key)?.label ?? key);
  const shown = keys.slice(0, 3).join(', ') + (keys.length > 3 ? ` and ${keys.length - 3} more` : '');
  return `${personName} holds ${gap.roleName} at “${where}”, which grants what you do not hold there (${shown})`;
}

function visibleTarget(db: Db, actor: { userId: string; bindings: readonly Binding[] }, ref: TargetRef): ResolvedTarget {
  const viewKey = VIEW_KEY[ref.type];
  // Someone who holds the view key nowhere sees no object of that type: nothing to look up.
  const target = holdsAnywhere(actor.bindings, viewKey) ? resolveTarget(db, ref.type, ref.id, actor.userId) : undefined;
  if (target && decide(actor.bindings, viewKey, target).allowed) return target;
  throw new OpError('NOT_FOUND', `No ${ref.type} with id ${ref.id} exists, or you may not see it`, fieldOf(ref.field));
}

function holdsAnywhere(bindings: readonly Binding[], key: string): boolean {
  return bindings.some((b) => b.role.permissions.has(key));
}

/**
 * R12: the dispatcher's authorization, run before `prepare` and `run`. Pass one makes sure
 * every named object is visible (NOT_FOUND first, so a refusal never confirms what the
 * caller may not see); pass two checks every permission and dominance.
 */
export class AccessAuthorizer implements Authorizer {
  constructor(private readonly db: Db) {}

  authorize(actor: Actor, rule: AccessRule, input: unknown): AuthorizeResult {
    const db = this.db;
    let first: ResolvedTarget | undefined;
    try {
      // Deny by default both ways: Steward's own work only as a system actor, and a system actor nothing else.
      if (rule.kind === 'system' || actor.system !== undefined) {
        if (rule.kind === 'system' && actor.system !== undefined) return { ok: true };
        throw new OpError('FORBIDDEN', 'This operation is not available to you');
      }
      if (rule.kind === 'public' || rule.kind === 'self') return { ok: true };
      const anywhere = rule.kind === 'anywhere' ? rule.permission : rule.kind === 'scoped' ? rule.anywhere : undefined;
      const needs: Need[] = rule.kind === 'anywhere' ? [] : (rule.needs?.(input, actor, db) ?? []);
      const subject = { userId: actor.userId, bindings: bindingsOf(db, actor.userId) };
      const resolved = needs.map((need) => {
        const ref = 'on' in need ? need.on : need.dominate;
        const target = visibleTarget(db, subject, ref);
        first ??= target;
        const within = 'within' in need && need.within ? visibleTarget(db, subject, need.within) : undefined;
        return { need, ref, target, within };
      });
      if (anywhere && !holdsAnywhere(subject.bindings, anywhere)) {
        const label = lookup(anywhere)?.label ?? anywhere;
        throw new OpError('FORBIDDEN', `Your roles do not grant “${label}” (${anywhere}) anywhere`);
      }
      for (const { need, ref, target } of resolved) {
        if (!('on' in need)) continue;
        const key = typeof need.permission === 'function' ? need.permission(target.kind) : need.permission;
        // A rule that names its keys must name them all, or the catalog-coverage test would be fooled.
        if (rule.kind !== 'anywhere' && rule.keys && !rule.keys.includes(key))
          throw new Error(`A need named ${key}, which its rule's keys omit`);
        const decision = decide(subject.bindings, key, target);
        if (!decision.allowed) throw new OpError('FORBIDDEN', explainFor(db, actor.userId, decision, target), fieldOf(ref.field));
      }
      for (const { need, ref, target, within } of resolved) {
        if ('on' in need) continue;
        requireDominance(db, actor.userId, target, ref.field, within);
      }
      return { ok: true, ...(first ? { target: { type: first.type, id: first.id, name: first.name } } : {}) };
    } catch (error) {
      if (!(error instanceof OpError)) throw error;
      return {
        ok: false,
        error: error.toApiError(),
        // A refusal about an object the caller may not see names nothing in the audit trail either.
        ...(first && error.code !== 'NOT_FOUND' ? { target: { type: first.type, id: first.id, name: first.name } } : {}),
      };
    }
  }
}

/** A refusal names the input field only when the input named the object (TargetRef.field). */
function fieldOf(field: string | undefined): { field?: string } {
  return field === undefined ? {} : { field };
}
