import type { RolePreview } from '../../../shared/contract';
import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { allRoles } from '../access/roles-cache';
import { holderScope, roleNeeds } from './records';
import { canonicalKeys } from './write';

const SHOWN = 200;

/**
 * What-if for a role edit, before saving: who gains or loses which permission. A key a
 * holder also gets from another role at the same group is neither gained nor lost.
 */
export const rolesPreviewHandler = () =>
  handler('roles.preview', {
    access: roleNeeds('roles.view'),
    run(ctx, input): RolePreview {
      const { db } = ctx;
      const roles = allRoles(db);
      const role = roles.get(input.id);
      if (!role) throw new Error('role vanished inside a transaction');
      // Unknown keys are refused as a save would refuse them (VALIDATION on permissions.N).
      const next = new Set(canonicalKeys(input.permissions));
      const added = [...next].filter((k) => !role.permissions.has(k));
      const removed = [...role.permissions].filter((k) => !next.has(k));
      // R13: the same holders roles.get shows this reader, and nobody else, are named, counted and measured.
      const scope = holderScope(db, ctx.actor.userId);
      const bindings = stmt<Record<string, string>, { user_id: string; username: string; group_id: string }>(
        db,
        `SELECT b.user_id, u.username, b.group_id FROM role_bindings b JOIN users u ON u.id = b.user_id JOIN groups hg ON hg.id = u.home_group_id
         WHERE b.role_id = @role AND ${scope.sql} ORDER BY u.username`,
      ).all({ ...scope.params, role: role.id });
      // Other roles each holder has at the same group, in one query rather than one per holder.
      const others = new Map<string, string[]>();
      for (const row of stmt<{ role: string }, { user_id: string; group_id: string; role_id: string }>(
        db,
        `SELECT o.user_id, o.group_id, o.role_id FROM role_bindings o
         WHERE o.role_id <> @role AND EXISTS (SELECT 1 FROM role_bindings b WHERE b.role_id = @role AND b.user_id = o.user_id AND b.group_id = o.group_id)`,
      ).all({ role: role.id })) {
        const key = `${row.user_id}@${row.group_id}`;
        others.set(key, [...(others.get(key) ?? []), row.role_id]);
      }
      const counts = new Map<string, { gained: Set<string>; lost: Set<string> }>();
      const people = new Map<string, { userId: string; username: string; gained: Set<string>; lost: Set<string> }>();
      for (const b of bindings) {
        const alsoHeld = new Set((others.get(`${b.user_id}@${b.group_id}`) ?? []).flatMap((id) => [...(roles.get(id)?.permissions ?? [])]));
        const person = people.get(b.user_id) ?? {
          userId: b.user_id,
          username: b.username,
          gained: new Set<string>(),
          lost: new Set<string>(),
        };
        people.set(b.user_id, person);
        for (const [keys, bucket] of [
          [added, 'gained'],
          [removed, 'lost'],
        ] as const) {
          for (const key of keys) {
            if (alsoHeld.has(key)) continue;
            person[bucket].add(key);
            const entry = counts.get(key) ?? { gained: new Set<string>(), lost: new Set<string>() };
            counts.set(key, entry);
            entry[bucket].add(b.user_id);
          }
        }
      }
      const reach = stmt<{ groups: string }, { devices: number; groups: number }>(
        db,
        `WITH reach AS (SELECT DISTINCT c.descendant AS id FROM group_closure c WHERE c.ancestor IN (SELECT value FROM json_each(@groups)))
         SELECT (SELECT count(*) FROM devices WHERE group_id IN (SELECT id FROM reach)) AS devices, (SELECT count(*) FROM reach) AS groups`,
      ).get({ groups: JSON.stringify([...new Set(bindings.map((b) => b.group_id))]) });
      return {
        holders: people.size,
        changes: [...counts]
          .map(([key, c]) => ({ key, gained: c.gained.size, lost: c.lost.size }))
          .sort((a, b) => a.key.localeCompare(b.key)),
        people: [...people.values()]
          .filter((p) => p.gained.size + p.lost.size > 0)
          .slice(0, SHOWN)
          .map((p) => ({ userId: p.userId, username: p.username, gained: [...p.gained].sort(), lost: [...p.lost].sort() })),
        devices: reach?.devices ?? 0,
        groups: reach?.groups ?? 0,
      };
    },
  });
