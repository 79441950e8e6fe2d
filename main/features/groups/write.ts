import { isCompanyKind, KIND_LABELS, nestingProblem, type GroupKind } from '../../../shared/access/groups';
import { requireNotSynced } from '../directory/store';
import { BILLING_FIELDS, type Branding, type ParsedInput, type Profile } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { Actor, CommandContext } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { handler, type Need, type RegisteredHandler, type TargetRef } from '../../dispatch/registry';
import { dominanceGaps } from '../../../shared/access/dominance';
import { mayActOnOwner } from '../../../shared/access/owner';
import { bindingsOf, resolveTarget } from '../access/access';
import { dominatedPerson } from '../access/authorize';
import { SessionStore } from '../auth/sessions';
import { findGroup, isInSubtree, linkNewGroup, relinkSubtree, type GroupNode } from '../access/tree';
import { OWNER_ROLE_ID } from '../access/roles-cache';
import { deliver, issueInvitation } from '../invitations/manage';
import { recordChange, requireBase } from '../versions/object-versions';
import { requireReachGrantable, requireSameCompany } from './move-reach';
import {
  activitiesOf,
  contactsOf,
  groupRow,
  manageKeyFor,
  parseBranding,
  parseProfile,
  replaceActivities,
  replaceContacts,
  siblingWithName,
  type GroupRow,
} from './records';

/** `field`: the input field the clash is about: the name typed, or the parent moved into (a move names no name). */
function nameTaken(existing: { name: string }, parentName: string, field: 'name' | 'parentId' = 'name'): OpError {
  return new OpError(
    'CONFLICT',
    `“${parentName}” already has a group named “${existing.name}” (names are compared as they read: case, accents and letter widths aside)`,
    { field },
  );
}

function nestingError(parent: GroupKind, child: GroupKind, field: string): OpError | null {
  const problem = nestingProblem(parent, child);
  return problem ? new OpError('CONFLICT', problem, { field }) : null;
}

/** A logo is summarised in the audit trail; the image itself would bloat every export. */
function brandingForAudit(branding: Branding): Record<string, unknown> {
  return { ...branding, logo: branding.logo ? `image, ${Math.round((branding.logo.length * 3) / 4 / 1024)} KB` : null };
}

/** A group the rule has already found visible; it cannot vanish inside the transaction. */
function existing(db: Db, id: string): GroupNode {
  const group = findGroup(db, id);
  if (!group) throw new Error('group vanished inside a transaction');
  return group;
}

function create(db: Db, ctx: CommandContext & { actor: Actor }, input: ParsedInput<'groups.create'>) {
  const parent = existing(db, input.parentId);
  const nesting = nestingError(parent.kind, input.kind, 'kind');
  if (nesting) throw nesting;
  if (input.seatLimit != null && !isCompanyKind(input.kind))
    throw new OpError('VALIDATION', 'Only companies have a seat limit', { field: 'seatLimit' });
  const clash = siblingWithName(db, input.parentId, input.name);
  if (clash) throw nameTaken(clash, parent.name);
  const id = ctx.entropy.id();
  const now = ctx.clock.now();
  stmt(
    db,
    'INSERT INTO groups (id, parent_id, kind, name, service_type, seat_limit, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(id, input.parentId, input.kind, input.name, input.serviceType ?? '', input.seatLimit ?? null, now, now);
  linkNewGroup(db, id, input.parentId);
  if (input.owner && !isCompanyKind(input.kind))
    throw new OpError('VALIDATION', 'Only a company has an Owner; leave the Owner out for a location or department', { field: 'owner' });
  // R11: the company's Owner invitation, in the same command, so the company never takes a member without its Owner.
  const ownerInvitation = input.owner
    ? issueInvitation(db, ctx, { email: input.owner.email, roleId: OWNER_ROLE_ID, groupId: id, kind: 'member' }, 'owner')
    : undefined;
  ctx.audit({
    action: 'groups.create',
    target: { type: 'group', id, name: input.name },
    groupId: id,
    after: {
      ...(input.owner ? { ownerInvited: input.owner.email } : {}),
      parent: parent.name,
      kind: input.kind,
      name: input.name,
      serviceType: input.serviceType ?? '',
      seatLimit: input.seatLimit ?? null,
    },
  });
  return { id, ...(ownerInvitation ? { ownerInvitation } : {}) };
}

type UpdateInput = Parameters<typeof updateSections>[3];

function updateSections(
  db: Db,
  ctx: CommandContext,
  row: GroupRow,
  input: {
    id: string;
    baseVersion: number;
    name?: string | undefined;
    kind?: GroupKind | undefined;
    serviceType?: string | undefined;
    seatLimit?: number | null | undefined;
    profile?: ParsedInput<'groups.update'>['profile'];
    contacts?: ReturnType<typeof contactsOf> | undefined;
    activities?: ReturnType<typeof activitiesOf> | undefined;
    branding?: Branding | undefined;
  },
) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  // The fields whose stored value really differs afterwards: they make the next version.
  const fields: string[] = [];
  const changed = (key: string, was: unknown, now: unknown, same = JSON.stringify(was) === JSON.stringify(now)) => {
    before[key] = was;
    after[key] = now;
    if (!same) fields.push(key);
  };
  const parent = row.parent_id ? findGroup(db, row.parent_id) : undefined;

  if (input.name !== undefined || input.kind !== undefined || input.serviceType !== undefined) {
    if (input.kind !== undefined && input.kind !== row.kind) {
      if (!parent) throw new OpError('CONFLICT', 'The root group is always the provider', { field: 'kind' });
      requireNotSynced(db, row.id, 'kind', 'given another kind');
      const upward = nestingError(parent.kind, input.kind, 'kind');
      if (upward) throw upward;
      // R5: a role limited to one kind of group is bound only at that kind, so the kind may not change under it.
      const limited = stmt<[string, string], { name: string; n: number }>(
        db,
        `SELECT r.name, count(*) AS n FROM role_bindings b JOIN roles r ON r.id = b.role_id
         WHERE b.group_id = ? AND r.scope_kind IS NOT NULL AND r.scope_kind <> ? GROUP BY r.id ORDER BY r.name LIMIT 1`,
      ).get(row.id, input.kind);
      if (limited)
        throw new OpError(
          'CONFLICT',
          `“${row.name}” cannot become a ${KIND_LABELS[input.kind].toLowerCase()}: ${limited.n === 1 ? 'a person holds' : `${limited.n} people hold`} ${limited.name} here, a role bound only at a ${KIND_LABELS[row.kind].toLowerCase()}. Change their roles first.`,
          { field: 'kind' },
        );
      for (const child of stmt<[string], { kind: GroupKind; name: string }>(db, 'SELECT kind, name FROM groups WHERE parent_id = ?').all(
        row.id,
      )) {
        if (nestingProblem(input.kind, child.kind)) {
          throw new OpError(
            'CONFLICT',
            `As a ${KIND_LABELS[input.kind].toLowerCase()} it could not hold its ${KIND_LABELS[child.kind].toLowerCase()} “${child.name}”`,
            { field: 'kind' },
          );
        }
      }
      if (!isCompanyKind(input.kind) && row.seat_limit !== null) stmt(db, 'UPDATE groups SET seat_limit = NULL WHERE id = ?').run(row.id);
      stmt(db, 'UPDATE groups SET kind = ? WHERE id = ?').run(input.kind, row.id);
      changed('kind', row.kind, input.kind);
    }
    if (input.name !== undefined && input.name !== row.name) {
      requireNotSynced(db, row.id, 'name', 'renamed');
      const clash = parent ? siblingWithName(db, parent.id, input.name, row.id) : undefined;
      if (clash && parent) throw nameTaken(clash, parent.name);
      stmt(db, 'UPDATE groups SET name = ? WHERE id = ?').run(input.name, row.id);
      changed('name', row.name, input.name);
    }
    if (input.serviceType !== undefined && input.serviceType !== row.service_type) {
      stmt(db, 'UPDATE groups SET service_type = ? WHERE id = ?').run(input.serviceType, row.id);
      changed('serviceType', row.service_type, input.serviceType);
    }
  }
  if (input.seatLimit !== undefined && input.seatLimit !== row.seat_limit) {
    if (!isCompanyKind(input.kind ?? row.kind)) throw new OpError('VALIDATION', 'Only companies have a seat limit', { field: 'seatLimit' });
    stmt(db, 'UPDATE groups SET seat_limit = ? WHERE id = ?').run(input.seatLimit, row.id);
    changed('seatLimit', row.seat_limit, input.seatLimit);
  }
  if (input.profile) {
    // Billing fields left out are kept as stored (the editor may not see them).
    const stored = parseProfile(row.profile);
    const next: Profile = { ...stored };
    for (const [key, value] of Object.entries(input.profile) as Array<[keyof Profile, string | undefined]>)
      if (value !== undefined) next[key] = value;
    stmt(db, 'UPDATE groups SET profile = ? WHERE id = ?').run(JSON.stringify(next), row.id);
    changed('profile', stored, next);
  }
  if (input.contacts) {
    changed('contacts', contactsOf(db, row.id), input.contacts);
    replaceContacts(db, row.id, input.contacts);
  }
  if (input.activities) {
    const stored = activitiesOf(db, row.id);
    // The audit event counts activities; whether they changed is decided on their content.
    changed('activities', stored.length, input.activities.length, JSON.stringify(stored) === JSON.stringify(input.activities));
    replaceActivities(db, row.id, input.activities);
  }
  if (input.branding) {
    stmt(db, 'UPDATE groups SET branding = ? WHERE id = ?').run(JSON.stringify(input.branding), row.id);
    changed('branding', brandingForAudit(parseBranding(row.branding)), brandingForAudit(input.branding));
  }
  stmt(db, 'UPDATE groups SET updated_at = ? WHERE id = ?').run(ctx.clock.now(), row.id);
  const version = recordChange(db, ctx, { type: 'group', id: row.id }, fields);
  ctx.audit({ target: { type: 'group', id: row.id, name: input.name ?? row.name }, groupId: row.id, before, after: { ...after, version } });
  return { id: row.id, version };
}

/**
 * Seed 001's "parent group" change. The rule has checked the mover manages the group where
 * it is and at the new parent; here a location stays in its company, and nobody bound above
 * the new parent gains a reach the mover could not have granted (move-reach.ts).
 */
function move(db: Db, ctx: CommandContext & { actor: Actor }, input: { id: string; parentId: string }) {
  const row = groupRow(db, input.id);
  if (!row) throw new Error('group vanished inside a transaction');
  if (!row.parent_id) throw new OpError('CONFLICT', 'The root group cannot be moved', { field: 'id' });
  const parent = existing(db, input.parentId);
  if (isInSubtree(db, input.id, input.parentId)) {
    throw new OpError('CONFLICT', `“${row.name}” cannot move into itself or one of its own subgroups`, { field: 'parentId' });
  }
  const nesting = nestingError(parent.kind, row.kind, 'parentId');
  if (nesting) throw nesting;
  if (row.parent_id === input.parentId) return { id: row.id, version: row.version };
  requireNotSynced(db, row.id, 'id', 'moved');
  const clash = siblingWithName(db, input.parentId, row.name, row.id);
  if (clash) throw nameTaken(clash, parent.name, 'parentId');
  const moved = { id: row.id, name: row.name, kind: row.kind, parentId: row.parent_id };
  requireSameCompany(db, moved, input.parentId);
  requireReachGrantable(db, ctx.actor.userId, moved, input.parentId);
  const oldParent = findGroup(db, row.parent_id);
  stmt(db, 'UPDATE groups SET parent_id = ?, updated_at = ? WHERE id = ?').run(input.parentId, ctx.clock.now(), row.id);
  relinkSubtree(db, row.id, input.parentId);
  const version = recordChange(db, ctx, { type: 'group', id: row.id }, ['parent']);
  ctx.audit({
    target: { type: 'group', id: row.id, name: row.name },
    groupId: row.id,
    before: { parentId: row.parent_id, parent: oldParent?.name ?? '' },
    after: { parentId: input.parentId, parent: parent.name, version },
  });
  return { id: row.id, version };
}

/** Seed 001: only a group with no devices and no groups of its own can be removed. */
function remove(db: Db, ctx: CommandContext & { actor: Actor }, input: { id: string }) {
  const row = groupRow(db, input.id);
  if (row && !row.parent_id) throw new OpError('CONFLICT', 'The root group cannot be removed', { field: 'id' });
  const target = resolveTarget(db, 'group', input.id, ctx.actor.userId);
  if (!target) throw new Error('group vanished inside a transaction');
  // Named before the checks, so a refused removal is recorded against this group too.
  ctx.audit({ target: { type: 'group', id: input.id, name: target.name }, groupId: input.id });
  const count = (sql: string) => stmt<[string], { n: number }>(db, sql).get(input.id)?.n ?? 0;
  const children = count('SELECT count(*) AS n FROM groups WHERE parent_id = ?');
  const devices = count('SELECT count(*) AS n FROM devices WHERE group_id = ?');
  const users = count('SELECT count(*) AS n FROM users WHERE home_group_id = ?');
  const roles = count('SELECT count(*) AS n FROM roles WHERE owner_group_id = ?');
  const blockers = [
    children ? plural(children, 'child group') : null,
    devices ? plural(devices, 'device') : null,
    users ? plural(users, 'user homed here', 'users homed here') : null,
    roles ? plural(roles, 'role of its own', 'roles of its own') : null,
  ].filter((b): b is string => b !== null);
  requireNotSynced(db, input.id, 'id', 'removed');
  if (blockers.length > 0) {
    const list = blockers.length > 1 ? `${blockers.slice(0, -1).join(', ')} and ${blockers.at(-1) ?? ''}` : (blockers[0] ?? '');
    throw new OpError('CONFLICT', `Cannot remove “${target.name}”: it has ${list}. Move or remove them first.`, { field: 'id' });
  }
  const bindings = stmt<[string], { user_id: string; role_id: string }>(
    db,
    'SELECT user_id, role_id FROM role_bindings WHERE group_id = ?',
  ).all(input.id);
  // R7 and R10: removing the group takes these roles away from their holders, which is acting on each of them.
  const actorBindings = bindingsOf(db, ctx.actor.userId);
  const holders = [...new Set(bindings.map((b) => b.user_id))];
  const undominated = holders.filter((userId) => {
    const person = dominatedPerson(db, ctx.actor.userId, userId);
    return (
      dominanceGaps(actorBindings, person).length > 0 ||
      !mayActOnOwner({ userId: ctx.actor.userId, bindings: actorBindings }, { userId, bindings: person.bindings })
    );
  });
  if (undominated.length > 0)
    throw new OpError(
      'FORBIDDEN',
      `Cannot remove “${target.name}”: ${plural(undominated.length, 'person holds', 'people hold')} a role there with rights you do not hold; removing the group would take it away from them`,
      { field: 'id' },
    );
  stmt(db, 'DELETE FROM role_bindings WHERE group_id = ?').run(input.id);
  // Their roles changed: a roles editor open on a copy from before must not put the binding back.
  for (const userId of holders) recordChange(db, ctx, { type: 'user', id: userId }, ['roles']);
  // R18: a change of roles ends the holders' sessions.
  const sessions = new SessionStore(db);
  for (const userId of holders) if (userId !== ctx.actor.userId) sessions.deleteAllOf(userId);
  stmt(db, 'DELETE FROM groups WHERE id = ?').run(input.id);
  ctx.audit({
    target: { type: 'group', id: input.id, name: target.name },
    groupId: row?.parent_id ?? input.id,
    before: { kind: row?.kind, parent: target.groupPath.fromRoot.at(-2)?.name ?? '', bindingsRemoved: bindings },
  });
  return { removed: true as const };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const groupRef = (id: string, field: string): TargetRef => ({ type: 'group', id, field });
/** The key that manages a group of the target's own kind (locations.manage below a customer, groups.manage above). */
const manageIt = (kind: GroupKind) => manageKeyFor(kind);
const MANAGE_KEYS = ['groups.manage', 'locations.manage'] as const;
const COMPANY_SECTIONS = ['profile', 'contacts', 'activities', 'branding'] as const;
/** Every field of groups.update that changes something (all but `id` and `baseVersion`). */
const UPDATE_FIELDS = ['name', 'kind', 'serviceType', 'seatLimit', ...COMPANY_SECTIONS] as const;

/** What a groups.update call needs: each section present asks for the key that edits it. */
function updateNeeds(input: UpdateInput): Need[] {
  const on = groupRef(input.id, 'id');
  const needs: Need[] = [{ permission: 'groups.view', on }];
  const changesNothing = UPDATE_FIELDS.every((key) => input[key] === undefined);
  // An update naming nothing still says who may save this group (and hear of its versions): its manager, not a reader.
  if (changesNothing || input.name !== undefined || input.kind !== undefined || input.serviceType !== undefined)
    needs.push({ permission: manageIt, on });
  if (input.kind !== undefined) needs.push({ permission: manageKeyFor(input.kind), on: groupRef(input.id, 'kind') });
  if (input.seatLimit !== undefined) needs.push({ permission: 'billing.manage', on: groupRef(input.id, 'seatLimit') });
  const section = COMPANY_SECTIONS.find((key) => input[key] !== undefined);
  if (section) needs.push({ permission: 'company.manage', on: groupRef(input.id, section) });
  // Overwriting the billing contact needs seeing it: nobody replaces what they may not read.
  const billingField = BILLING_FIELDS.find((key) => input.profile?.[key] !== undefined);
  if (billingField) needs.push({ permission: 'billing.view', on: groupRef(input.id, `profile.${billingField}`) });
  return needs;
}

export function groupWriteHandlers(): RegisteredHandler[] {
  return [
    handler('groups.create', {
      access: {
        kind: 'scoped',
        keys: [...MANAGE_KEYS, 'billing.manage'],
        needs: (input) => [
          { permission: manageKeyFor(input.kind), on: groupRef(input.parentId, 'parentId') },
          ...(input.seatLimit != null ? [{ permission: 'billing.manage', on: groupRef(input.parentId, 'seatLimit') }] : []),
        ],
      },
      run: (ctx, input) => create(ctx.db, ctx, input),
      async after(ctx, output) {
        return output.ownerInvitation ? { ...output, ownerInvitation: await deliver(ctx, output.ownerInvitation) } : output;
      },
    }),
    handler('groups.update', {
      access: {
        kind: 'scoped',
        keys: ['groups.view', ...MANAGE_KEYS, 'billing.manage', 'company.manage', 'billing.view'],
        needs: updateNeeds,
      },
      run(ctx, input: UpdateInput) {
        const { db } = ctx;
        const row = groupRow(db, input.id);
        if (!row) throw new Error('group vanished inside a transaction');
        // Named first, so a stale update's refusal is recorded against this group.
        ctx.audit({ target: { type: 'group', id: row.id, name: row.name }, groupId: row.id });
        requireBase(db, ctx, { type: 'group', id: row.id }, input.baseVersion, `“${row.name}”`);
        return updateSections(db, ctx, row, input);
      },
    }),
    handler('groups.move', {
      access: {
        kind: 'scoped',
        keys: MANAGE_KEYS,
        // The new parent needs the key for the moved group's kind, not the parent's own.
        needs: (input, _actor, db) => [
          { permission: manageIt, on: groupRef(input.id, 'id') },
          { permission: manageKeyFor(findGroup(db, input.id)?.kind ?? 'customer'), on: groupRef(input.parentId, 'parentId') },
        ],
      },
      run: (ctx, input) => move(ctx.db, ctx, input),
    }),
    handler('groups.remove', {
      access: { kind: 'scoped', keys: MANAGE_KEYS, needs: (input) => [{ permission: manageIt, on: groupRef(input.id, 'id') }] },
      run: (ctx, input) => remove(ctx.db, ctx, input),
    }),
  ];
}
