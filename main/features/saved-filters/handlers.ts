import { sameName } from '../../../shared/names';
import { SAVED_FILTER_SCHEMAS, SAVED_FILTERS_MAX, type SavedFilter, type SavedFilterScreen } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';

interface Row {
  id: string;
  screen: SavedFilterScreen;
  name: string;
  filter: string;
  created_at: number;
  updated_at: number;
}

function toSaved(row: Row): SavedFilter {
  // Stored as the contract checked it; a row a later contract no longer reads is dropped from the list, not shown broken.
  const parsed = SAVED_FILTER_SCHEMAS[row.screen].safeParse(JSON.parse(row.filter));
  return {
    id: row.id,
    screen: row.screen,
    name: row.name,
    filter: parsed.success ? parsed.data : {},
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } as SavedFilter;
}

function ownRows(db: Db, userId: string, screen: SavedFilterScreen): Row[] {
  return stmt<[string, string], Row>(
    db,
    'SELECT id, screen, name, filter, created_at, updated_at FROM saved_filters WHERE user_id = ? AND screen = ? ORDER BY name COLLATE NOCASE, id',
  ).all(userId, screen);
}

/**
 * Saved filters (issue 15, finding 8): each person's own, reached only through their own
 * session (`self`): another person's filter is NOT_FOUND, like an unknown id.
 */
export function savedFilterHandlers(): RegisteredHandler[] {
  return [
    handler('filters.list', {
      access: { kind: 'self' },
      run: (ctx, input) => ({ filters: ownRows(ctx.db, ctx.actor.userId, input.screen).map(toSaved) }),
    }),
    handler('filters.save', {
      access: { kind: 'self' },
      run(ctx, input) {
        const { db } = ctx;
        const userId = ctx.actor.userId;
        const filter = SAVED_FILTER_SCHEMAS[input.screen].parse(input.filter);
        const rows = ownRows(db, userId, input.screen);
        const same = rows.find((r) => sameName(r.name, input.name));
        const now = ctx.clock.now();
        if (same) {
          stmt(db, 'UPDATE saved_filters SET name = ?, filter = ?, updated_at = ? WHERE id = ?').run(
            input.name,
            JSON.stringify(filter),
            now,
            same.id,
          );
        } else {
          if (rows.length >= SAVED_FILTERS_MAX)
            throw new OpError('CONFLICT', `You keep ${SAVED_FILTERS_MAX} saved filters here already; remove one first`, { field: 'name' });
          stmt(
            db,
            'INSERT INTO saved_filters (id, user_id, screen, name, filter, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          ).run(ctx.entropy.id(), userId, input.screen, input.name, JSON.stringify(filter), now, now);
        }
        const saved = ownRows(db, userId, input.screen).find((r) => sameName(r.name, input.name));
        if (!saved) throw new Error('saved filter vanished inside its own transaction');
        ctx.audit({
          action: same ? 'filters.save.replaced' : 'filters.save',
          target: { type: 'savedFilter', id: saved.id, name: `${input.screen}: ${input.name}` },
          after: { screen: input.screen, name: input.name, filter },
        });
        return toSaved(saved);
      },
    }),
    handler('filters.remove', {
      access: { kind: 'self' },
      run(ctx, input) {
        const { db } = ctx;
        const row = stmt<[string, string], Row>(
          db,
          'SELECT id, screen, name, filter, created_at, updated_at FROM saved_filters WHERE id = ? AND user_id = ?',
        ).get(input.id, ctx.actor.userId);
        if (!row) throw new OpError('NOT_FOUND', 'No saved filter of yours has this id', { field: 'id' });
        stmt(db, 'DELETE FROM saved_filters WHERE id = ?').run(row.id);
        ctx.audit({
          target: { type: 'savedFilter', id: row.id, name: `${row.screen}: ${row.name}` },
          before: { screen: row.screen, name: row.name },
        });
        return { removed: true as const };
      },
    }),
  ];
}
