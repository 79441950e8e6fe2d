import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { dashboardSummary } from './figures';
import { groupHistory } from './history';

/** Keys the dashboard's figures are filtered by (each list's own), for the catalog-coverage test. */
export const DASHBOARD_READ_KEYS = ['devices.view', 'users.view', 'groups.view', 'roles.view', 'audit.view', 'charts.view'] as const;

export function dashboardHandlers(): RegisteredHandler[] {
  return [
    handler('dashboard.summary', {
      readPool: true,
      // Opening the dashboard needs dashboard.view somewhere; each figure is then scoped by its own list's key (R33).
      access: { kind: 'anywhere', permission: 'dashboard.view' },
      run: (ctx) => dashboardSummary(ctx.db, ctx.actor.userId, ctx.clock.now()),
    }),
    handler('dashboard.history', {
      readPool: true,
      // charts.view's module is Historical charts: decide() refuses it where the group's kind lacks the module (seed 001).
      access: {
        kind: 'scoped',
        keys: ['dashboard.view', 'charts.view'],
        needs: (input) => [
          { permission: 'dashboard.view', on: { type: 'group', id: input.groupId, field: 'groupId' } },
          { permission: 'charts.view', on: { type: 'group', id: input.groupId, field: 'groupId' } },
        ],
      },
      run: (ctx, input) => groupHistory(ctx.db, ctx.actor.userId, input.groupId, input.days, ctx.clock.now()),
    }),
  ];
}
