import { grantedAt, type Decision } from '../../../shared/access/decide';
import { explainDecision } from '../../../shared/access/explain';
import { effectiveAreas } from '../../../shared/access/effective';
import { permission as lookup } from '../../../shared/access/catalog';
import type { AccessAnswer } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import type { Actor } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { handler, type Need, type RegisteredHandler } from '../../dispatch/registry';
import { bindingsOf, check, pathSeenBy, resolveTarget, subjectName, VIEW_KEY, type ResolvedTarget } from './access';
import { findGroup } from './tree';
import { whoCan } from './who-can';

type Question = { userId: string; permission: string; target: { type: ResolvedTarget['type']; id: string } };

/** Anyone may ask about themselves; asking about someone else needs to see that user. */
function subjectNeeds(userId: string, actor: Actor): Need[] {
  return userId === actor.userId ? [] : [{ permission: 'users.view', on: { type: 'user', id: userId, field: 'userId' } }];
}

/** The object asked about must be one the caller may see; its errors belong to the target field of the form. */
function targetNeed(target: Question['target']): Need {
  return { permission: VIEW_KEY[target.type], on: { type: target.type, id: target.id, field: 'target.id' } };
}

const questionRule = {
  kind: 'scoped',
  keys: ['users.view', ...Object.values(VIEW_KEY)],
  needs: (input: Question, actor: Actor) => [...subjectNeeds(input.userId, actor), targetNeed(input.target)],
} as const;

/** The question's target as seen from the person asked about (their assignments count for devices). */
function resolveQuestion(db: Db, input: Question): ResolvedTarget {
  if (!lookup(input.permission))
    throw new OpError('VALIDATION', `“${input.permission}” is not a permission Steward knows`, { field: 'permission' });
  const target = resolveTarget(db, input.target.type, input.target.id, input.userId);
  if (!target) throw new Error('target vanished inside a transaction');
  return target;
}

/**
 * The explanation as `readerId` may read it: when it lists the person's roles elsewhere,
 * only those at groups the reader may see are named (finding 9: nothing is said about an
 * object the caller may not see), the rest counted.
 */
function explainForReader(db: Db, readerId: string, userId: string, decision: Decision, target: ResolvedTarget): string {
  const groupNames = new Map(target.groupPath.fromRoot.map((g) => [g.id, g.name]));
  const groupName = (id: string) => groupNames.get(id) ?? findGroup(db, id)?.name ?? id;
  const seen = (groupId: string) => {
    const group = resolveTarget(db, 'group', groupId, readerId);
    return group !== undefined && check(db, readerId, VIEW_KEY.group, group).allowed;
  };
  const bindings = bindingsOf(db, userId);
  const shown = bindings.filter((b) => seen(b.groupId)).map((b) => `${b.role.name} at ${groupName(b.groupId)}`);
  const hidden = bindings.length - shown.length;
  return explainDecision(decision, {
    subject: subjectName(db, userId),
    target: target.name,
    pathNames: pathSeenBy(db, readerId, target.groupPath.fromRoot).map((g) => g.name),
    kind: target.kind,
    groupName,
    allBindings: hidden > 0 ? [...shown, `${hidden} role${hidden === 1 ? '' : 's'} at groups you may not see`] : shown,
  });
}

function answer(db: Db, readerId: string, userId: string, permission: string, target: ResolvedTarget): AccessAnswer {
  const decision = check(db, userId, permission, target);
  const via = decision.allowed
    ? {
        roleName: decision.binding.role.name,
        groupId: decision.binding.groupId,
        groupName: findGroup(db, decision.binding.groupId)?.name ?? '',
      }
    : null;
  return {
    allowed: decision.allowed,
    missing: decision.allowed ? null : decision.missing,
    explanation: explainForReader(db, readerId, userId, decision, target),
    via,
    path: pathSeenBy(db, readerId, target.groupPath.fromRoot).map((g) => ({ id: g.id, name: g.name })),
  };
}

export function accessHandlers(): RegisteredHandler[] {
  return [
    handler('access.decide', {
      readPool: true,
      access: questionRule,
      run: ({ db }, input) => ({ allowed: check(db, input.userId, input.permission, resolveQuestion(db, input)).allowed }),
    }),
    handler('access.explain', {
      readPool: true,
      access: questionRule,
      run: (ctx, input) => answer(ctx.db, ctx.actor.userId, input.userId, input.permission, resolveQuestion(ctx.db, input)),
    }),
    handler('access.whoCan', {
      readPool: true,
      access: { kind: 'scoped', keys: Object.values(VIEW_KEY), needs: (input) => [targetNeed(input.target)] },
      run(ctx, input) {
        const { actor, db } = ctx;
        if (!lookup(input.permission))
          throw new OpError('VALIDATION', `“${input.permission}” is not a permission Steward knows`, { field: 'permission' });
        const target = resolveTarget(db, input.target.type, input.target.id, actor.userId);
        if (!target) throw new Error('target vanished inside a transaction');
        return whoCan(db, actor.userId, input.permission, target);
      },
    }),
    handler('access.effective', {
      readPool: true,
      access: {
        kind: 'scoped',
        keys: ['users.view', 'groups.view'],
        needs: (input, actor) => [
          ...subjectNeeds(input.userId, actor),
          { permission: 'groups.view', on: { type: 'group', id: input.groupId, field: 'groupId' } },
        ],
      },
      run(ctx, input) {
        const { db } = ctx;
        const group = resolveTarget(db, 'group', input.groupId, ctx.actor.userId);
        if (!group) throw new Error('group vanished inside a transaction');
        return { areas: effectiveAreas(grantedAt(bindingsOf(db, input.userId), { path: group.path, kind: group.kind })) };
      },
    }),
  ];
}
