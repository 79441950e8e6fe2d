import type { UserSummary } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { scopeCondition } from '../access/access';
import { requireActor } from '../auth/deps';
import { bindingSummaries } from './bindings';

const ORDER = { username: 'u.username', fullName: 'u.full_name', email: 'u.email' } as const;

interface Row {
  id: string;
  username: string;
  full_name: string;
  email: string;
  home_group_id: string;
  home_group_name: string;
  kind: UserSummary['kind'];
  status: UserSummary['status'];
}

/** Users the caller may see (users.view at their home group), filtered, sorted and paged in SQLite. */
export const usersListHandler = (db: Db) =>
  handler('users.list', {
    access: { kind: 'self' },
    run(ctx, input) {
      const scope = scopeCondition(db, requireActor(ctx).userId, 'users.view', { group: 'u.home_group_id', kind: 'hg.kind' });
      const where = `${scope.sql} AND (@query = '' OR u.username LIKE @like ESCAPE '\\' OR u.full_name LIKE @like ESCAPE '\\' OR u.email LIKE @like ESCAPE '\\')`;
      const query = input.query ?? '';
      const params = { ...scope.params, query, like: `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
      const from = 'FROM users u JOIN groups hg ON hg.id = u.home_group_id';
      const total = stmt<Record<string, string>, { n: number }>(db, `SELECT count(*) AS n ${from} WHERE ${where}`).get(params)?.n ?? 0;
      const rows = stmt<Record<string, string | number>, Row>(
        db,
        `SELECT u.id, u.username, u.full_name, u.email, u.home_group_id, hg.name AS home_group_name, u.kind, u.status ${from}
         WHERE ${where} ORDER BY ${ORDER[input.sort ?? 'username']} COLLATE NOCASE, u.id LIMIT @limit OFFSET @offset`,
      ).all({ ...params, limit: input.limit ?? 50, offset: input.offset ?? 0 });
      return {
        total,
        users: rows.map((r) => ({
          id: r.id,
          username: r.username,
          fullName: r.full_name,
          email: r.email,
          homeGroupId: r.home_group_id,
          homeGroupName: r.home_group_name,
          kind: r.kind,
          status: r.status,
          bindings: bindingSummaries(db, r.id),
        })),
      };
    },
  });
