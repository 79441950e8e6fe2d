import type { MfaState, UserSummary } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { scopeCondition } from '../access/access';
import { visibleBindingSummaries } from './bindings';

const ORDER = {
  username: 'u.username COLLATE NOCASE',
  fullName: 'u.full_name COLLATE NOCASE',
  email: 'u.email COLLATE NOCASE',
  company: 'u.company COLLATE NOCASE',
  kind: 'u.kind',
  status: 'u.status',
  lastSignInAt: 'u.last_sign_in_at',
  homeGroupName: 'hg.name COLLATE NOCASE',
} as const;

export const MFA_STATE_SQL = `CASE WHEN u.totp_secret IS NOT NULL THEN 'enrolled' WHEN u.mfa_enrolled_at IS NOT NULL THEN 'reset_pending' ELSE 'not_enrolled' END`;

export const USER_COLUMNS = `u.id, u.username, u.full_name, u.email, u.company, u.home_group_id, hg.name AS home_group_name, u.kind, u.status,
  ${MFA_STATE_SQL} AS mfa, u.last_sign_in_at, u.protected, u.version,
  EXISTS (SELECT 1 FROM role_bindings ob WHERE ob.user_id = u.id AND ob.role_id IN (SELECT id FROM roles WHERE meaning = 'owner')) AS is_owner`;

export interface UserRow {
  id: string;
  username: string;
  full_name: string;
  email: string;
  company: string;
  home_group_id: string;
  home_group_name: string;
  kind: UserSummary['kind'];
  status: UserSummary['status'];
  mfa: MfaState;
  last_sign_in_at: number | null;
  protected: number;
  version: number;
  is_owner: number;
}

export function toSummary(db: Db, r: UserRow, readerId: string): UserSummary {
  return {
    id: r.id,
    username: r.username,
    fullName: r.full_name,
    email: r.email,
    company: r.company,
    homeGroupId: r.home_group_id,
    homeGroupName: r.home_group_name,
    kind: r.kind,
    status: r.status,
    mfa: r.mfa,
    lastSignInAt: r.last_sign_in_at,
    protected: r.protected === 1,
    isOwner: r.is_owner === 1,
    version: r.version,
    ...visibleBindingSummaries(db, r.id, readerId),
  };
}

/** Users the caller may see (users.view at their home group), filtered, sorted and paged in SQLite. */
export const usersListHandler = () =>
  handler('users.list', {
    readPool: true,
    access: { kind: 'list', permission: 'users.view' },
    run(ctx, input) {
      const { db } = ctx;
      const scope = scopeCondition(db, ctx.actor.userId, 'users.view', { group: 'u.home_group_id', kind: 'hg.kind', user: 'u.id' });
      const query = input.query ?? '';
      const params = {
        ...scope.params,
        query,
        like: `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
        status: input.status ?? '',
        kind: input.kind ?? '',
        mfa: input.mfa ?? '',
        roleId: input.roleId ?? '',
        groupId: input.groupId ?? '',
      };
      const where = `${scope.sql}
        AND (@query = '' OR u.username LIKE @like ESCAPE '\\' OR u.full_name LIKE @like ESCAPE '\\' OR u.email LIKE @like ESCAPE '\\' OR u.company LIKE @like ESCAPE '\\')
        AND (@status = '' OR u.status = @status)
        AND (@kind = '' OR u.kind = @kind)
        AND (@mfa = '' OR ${MFA_STATE_SQL} = @mfa)
        AND (@roleId = '' OR EXISTS (SELECT 1 FROM role_bindings rb WHERE rb.user_id = u.id AND rb.role_id = @roleId))
        AND (@groupId = '' OR EXISTS (SELECT 1 FROM group_closure gc WHERE gc.ancestor = @groupId AND gc.descendant = u.home_group_id))`;
      const from = 'FROM users u JOIN groups hg ON hg.id = u.home_group_id';
      const total = stmt<Record<string, string>, { n: number }>(db, `SELECT count(*) AS n ${from} WHERE ${where}`).get(params)?.n ?? 0;
      const direction = input.descending ? 'DESC' : 'ASC';
      // Sort and page on ids first; the per-row columns are computed for the page only.
      const rows = stmt<Record<string, string | number>, UserRow>(
        db,
        `WITH page AS (SELECT u.id ${from} WHERE ${where} ORDER BY ${ORDER[input.sort ?? 'username']} ${direction}, u.id ${direction} LIMIT @limit OFFSET @offset)
         SELECT ${USER_COLUMNS} FROM page JOIN users u ON u.id = page.id JOIN groups hg ON hg.id = u.home_group_id
         ORDER BY ${ORDER[input.sort ?? 'username']} ${direction}, u.id ${direction}`,
      ).all({ ...params, limit: input.limit ?? 50, offset: input.offset ?? 0 });
      return { total, users: rows.map((r) => toSummary(db, r, ctx.actor.userId)) };
    },
  });
