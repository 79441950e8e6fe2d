import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { bindingsOf } from '../access/access';
import { hashPassword } from '../auth/passwords';
import { holdRefusal, loadPlaces, REFUSAL_MESSAGES } from '../devices/classify';
import { closeInvitationsOf } from '../invitations/records';
import { bindingSummaries } from './bindings';
import { checkGrant } from './grants';
import { generatePassword, requireCompanyOwner, uniqueAccountProblem } from './guards';
import { requireSeat } from './seats';

/**
 * The rule devices.assign applies to every member: they must be able to hold each device
 * (a role of theirs reaching its group grants devices.view). Thrown inside the command's
 * transaction, so the account is not created either.
 */
function requireHoldable(db: Db, userId: string, deviceIds: readonly string[]): void {
  const holder = { userId, bindings: bindingsOf(db, userId) };
  const devices = stmt<[string], { id: string; group_id: string }>(
    db,
    'SELECT id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(deviceIds));
  const places = loadPlaces(
    db,
    devices.map((d) => d.group_id),
  );
  const groupOf = new Map(devices.map((d) => [d.id, d.group_id]));
  deviceIds.forEach((deviceId, i) => {
    const place = places.get(groupOf.get(deviceId) ?? '');
    const reason = place ? holdRefusal(holder, deviceId, place) : 'device-not-found';
    if (reason) throw new OpError('VALIDATION', REFUSAL_MESSAGES[reason], { field: `deviceIds.${i}` });
  });
}

/**
 * Seed 002: create an account directly; a random password is generated and shown once.
 * Optional device scope is expressed as device assignments.
 */
export const usersCreateHandler = () =>
  handler('users.create', {
    access: {
      kind: 'scoped',
      keys: ['users.create', 'groups.view', 'devices.assign'],
      needs: (input) => [
        { permission: 'users.create', on: { type: 'group', id: input.homeGroupId, field: 'homeGroupId' } },
        // The grant itself (R5) is checked in the transaction; here each named group must be one the caller sees.
        ...input.bindings.map((b, i) => ({
          permission: 'groups.view',
          on: { type: 'group' as const, id: b.groupId, field: `bindings.${i}.groupId` },
        })),
        ...(input.deviceIds ?? []).map((id, i) => ({
          permission: 'devices.assign',
          on: { type: 'device' as const, id, field: `deviceIds.${i}` },
        })),
      ],
    },
    async prepare(ctx, input) {
      const { db } = ctx;
      // R12: the grant rule (R5) decided before the password is hashed; run decides it again inside the transaction.
      const grantee = { name: input.username, homeGroupId: input.homeGroupId };
      input.bindings.forEach((b, i) => checkGrant(db, ctx.actor.userId, grantee, b, 'grant', `bindings.${i}`, 'users.create'));
      const password = generatePassword((n) => ctx.entropy.bytes(n));
      return { password, hash: await hashPassword(password, ctx.entropy.bytes(16)) };
    },
    run(ctx, input, { password, hash }) {
      const { actor, db } = ctx;
      const home = { id: input.homeGroupId };
      const conflict = uniqueAccountProblem(db, input);
      if (conflict) throw conflict;
      const now = ctx.clock.now();
      // An invitation to this email can no longer be accepted: it is closed, and the seat it held is this member's.
      const invitationsClosed = closeInvitationsOf(db, ctx, input.email);
      requireSeat(db, home.id, now, 'homeGroupId');
      const grantee = { name: input.username, homeGroupId: home.id };
      input.bindings.forEach((b, i) => checkGrant(db, actor.userId, grantee, b, 'grant', `bindings.${i}`, 'users.create'));
      const deviceIds = [...new Set(input.deviceIds ?? [])];
      const id = ctx.entropy.id();
      stmt(
        db,
        `INSERT INTO users (id, username, email, full_name, company, home_group_id, kind, status, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
      ).run(id, input.username, input.email, input.fullName ?? '', input.company ?? '', home.id, input.kind ?? 'member', hash, now, now);
      const bind = stmt(db, 'INSERT OR IGNORE INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)');
      for (const b of input.bindings) bind.run(id, b.roleId, b.groupId);
      requireHoldable(db, id, deviceIds);
      requireCompanyOwner(db, home.id, 'homeGroupId');
      const assign = stmt(db, 'INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)');
      for (const deviceId of deviceIds) assign.run(deviceId, id);
      ctx.audit({
        target: { type: 'user', id, name: input.username },
        groupId: home.id,
        after: {
          username: input.username,
          email: input.email,
          fullName: input.fullName ?? '',
          company: input.company ?? '',
          kind: input.kind ?? 'member',
          bindings: bindingSummaries(db, id).map((b) => `${b.roleName} at ${b.groupName}`),
          devices: deviceIds.length,
          ...(invitationsClosed > 0 ? { invitationsClosed } : {}),
        },
      });
      return { id, password };
    },
  });
