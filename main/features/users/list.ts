import type { FacetValue, MfaState, UserFacets, UserFilter, UserKind, UserStatus, UserSummary } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { HOME_GROUP_KIND, scopeCondition } from '../access/access';
import { crossFiltered } from '../facet-counts';
import { visibleRoleIds } from '../roles/list';
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

// Counts and facets read no group; the page joins the home group only to sort by its name.
const FROM = 'FROM users u';
const pageFrom = (sort: keyof typeof ORDER) => (sort === 'homeGroupName' ? 'FROM users u JOIN groups hg ON hg.id = u.home_group_id' : FROM);

/**
 * "The caller may see u, and u matches the filter": one WHERE for the members list, its count
 * and its facets, so they never disagree. Every value is a parameter; lists are JSON arrays.
 */
export function userWhere(db: Db, actorId: string, filter: UserFilter): { where: string; params: Record<string, string> } {
  const scope = scopeCondition(db, actorId, 'users.view', { group: 'u.home_group_id', kind: HOME_GROUP_KIND, user: 'u.id' });
  const query = filter.query ?? '';
  const list = (values: readonly string[] | undefined) => JSON.stringify(values ?? []);
  const params = {
    ...scope.params,
    query,
    like: `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    statuses: list(filter.statuses),
    kinds: list(filter.kinds),
    mfa: list(filter.mfa),
    roleIds: list(filter.roleIds),
    groupId: filter.groupId ?? '',
  };
  const anyOf = (name: string, column: string) =>
    `(json_array_length(@${name}) = 0 OR ${column} IN (SELECT value FROM json_each(@${name})))`;
  const where = `${scope.sql}
    AND (@query = '' OR u.username LIKE @like ESCAPE '\\' OR u.full_name LIKE @like ESCAPE '\\' OR u.email LIKE @like ESCAPE '\\' OR u.company LIKE @like ESCAPE '\\')
    AND ${anyOf('statuses', 'u.status')}
    AND ${anyOf('kinds', 'u.kind')}
    AND ${anyOf('mfa', MFA_STATE_SQL)}
    AND (json_array_length(@roleIds) = 0 OR EXISTS (SELECT 1 FROM role_bindings rb WHERE rb.user_id = u.id AND rb.role_id IN (SELECT value FROM json_each(@roleIds))))
    AND (@groupId = '' OR EXISTS (SELECT 1 FROM group_closure gc WHERE gc.ancestor = @groupId AND gc.descendant = u.home_group_id))`;
  return { where, params };
}

type FacetRow = { status: UserStatus; kind: UserKind; mfa: MfaState; n: number };

/**
 * Cross-filtered counts (UserFacets): statuses, kinds and two-step states from one grouped count
 * over the filter without those three conditions, each facet keeping what the other two keep;
 * roles from the filter without its roles condition, per role the caller may see.
 */
function facets(db: Db, actorId: string, filter: UserFilter): UserFacets {
  const { statuses, kinds, mfa, roleIds, ...rest } = filter;
  const q = userWhere(db, actorId, { ...rest, ...(roleIds ? { roleIds } : {}) });
  const rows = stmt<Record<string, string>, FacetRow>(
    db,
    `SELECT u.status, u.kind, ${MFA_STATE_SQL} AS mfa, count(*) AS n ${FROM} WHERE ${q.where} GROUP BY 1, 2, 3`,
  ).all(q.params);
  const { facets: f, total } = crossFiltered(rows, {
    statuses: { pick: (row) => row.status, chosen: statuses },
    kinds: { pick: (row) => row.kind, chosen: kinds },
    mfa: { pick: (row) => row.mfa, chosen: mfa },
  });
  const r = userWhere(db, actorId, { ...rest, ...(statuses ? { statuses } : {}), ...(kinds ? { kinds } : {}), ...(mfa ? { mfa } : {}) });
  const visible = visibleRoleIds(db, actorId);
  const roles = stmt<Record<string, string>, { value: string; count: number }>(
    db,
    `SELECT b.role_id AS value, count(DISTINCT u.id) AS count ${FROM} JOIN role_bindings b ON b.user_id = u.id WHERE ${r.where} GROUP BY b.role_id`,
  )
    .all(r.params)
    .filter((role) => visible.has(role.value))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return {
    statuses: f.statuses as Array<FacetValue<UserStatus>>,
    kinds: f.kinds as Array<FacetValue<UserKind>>,
    mfa: f.mfa as Array<FacetValue<MfaState>>,
    roles,
    total,
  };
}

/** Users the caller may see (users.view at their home group), filtered, sorted and paged in SQLite. */
export const usersListHandler = () =>
  handler('users.list', {
    readPool: true,
    access: { kind: 'list', permission: 'users.view' },
    run(ctx, input) {
      const { db } = ctx;
      const { where, params } = userWhere(db, ctx.actor.userId, input);
      const total = stmt<Record<string, string>, { n: number }>(db, `SELECT count(*) AS n ${FROM} WHERE ${where}`).get(params)?.n ?? 0;
      const direction = input.descending ? 'DESC' : 'ASC';
      // Sort and page on ids first; the per-row columns are computed for the page only.
      const rows = stmt<Record<string, string | number>, UserRow>(
        db,
        `WITH page AS (SELECT u.id ${pageFrom(input.sort ?? 'username')} WHERE ${where} ORDER BY ${ORDER[input.sort ?? 'username']} ${direction}, u.id ${direction} LIMIT @limit OFFSET @offset)
         SELECT ${USER_COLUMNS} FROM page JOIN users u ON u.id = page.id JOIN groups hg ON hg.id = u.home_group_id
         ORDER BY ${ORDER[input.sort ?? 'username']} ${direction}, u.id ${direction}`,
      ).all({ ...params, limit: input.limit ?? 50, offset: input.offset ?? 0 });
      return { total, users: rows.map((r) => toSummary(db, r, ctx.actor.userId)) };
    },
  });

export const usersFacetsHandler = () =>
  handler('users.facets', {
    readPool: true,
    access: { kind: 'list', permission: 'users.view' },
    run: (ctx, input) => facets(ctx.db, ctx.actor.userId, input.filter ?? {}),
  });
