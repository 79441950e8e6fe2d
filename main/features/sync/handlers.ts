import { OpError } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { stmt } from '../../db/statements';
import { hubRow } from '../../sync/replica-store';
import type { SyncIssue, SyncStatus } from '../../../shared/contract/sync';
import type { Result } from '../../../shared/result';
import { startSession, type AuthDeps } from '../auth/deps';

/**
 * The replica's side of sync as operations (docs/sync.md): its status chip, "Connect to a
 * hub", "Work offline", "Sync now", and the Sync issues panel. Their effects stay on this
 * installation; none is ever pushed.
 */
/** What the handlers need of the replica (main/sync/replica.ts), which is built after the dispatcher they register with. */
export interface ReplicaPort {
  status(): SyncStatus;
  connect(input: {
    url: string;
    fingerprint: string;
    username: string;
    password: string;
    code: string;
  }): Promise<Result<{ userId: string }>>;
  setWorkOffline(offline: boolean): void;
  syncNow(): Promise<void>;
}

export function syncHandlers(replica: ReplicaPort, auth: AuthDeps): RegisteredHandler[] {
  return [
    handler('sync.status', { access: { kind: 'public' }, run: () => replica.status() }),
    handler('sync.connect', {
      access: { kind: 'public' },
      besideExclusive: true,
      // The network and the first pull happen here, before the transaction; run only signs the person in.
      prepare: async (ctx, input) => {
        const people = stmt<[], { n: number }>(ctx.db, 'SELECT count(*) AS n FROM users').get()?.n ?? 0;
        if (people > 0 && !hubRow(ctx.db)) {
          throw new OpError('CONFLICT', 'This data folder holds its own data and cannot become a replica; connect from a new data folder', {
            field: 'url',
          });
        }
        const connected = await replica.connect(input);
        if (!connected.ok) {
          const { code, message, ...extra } = connected.error;
          throw new OpError(code, message, extra);
        }
        return connected.value.userId;
      },
      run: (ctx, _input, userId) => {
        startSession(ctx, auth, userId, 'active');
        const name =
          stmt<[string], { username: string }>(ctx.db, 'SELECT username FROM users WHERE id = ?').get(userId)?.username ?? userId;
        ctx.audit({ target: { type: 'user', id: userId, name } });
        return { connected: true as const };
      },
    }),
    handler('sync.setOffline', {
      access: { kind: 'self' },
      run: (ctx, input) => {
        if (!hubRow(ctx.db)) throw new OpError('CONFLICT', 'This installation is not connected to a hub', { field: 'offline' });
        replica.setWorkOffline(input.offline);
        return replica.status();
      },
    }),
    handler('sync.now', {
      access: { kind: 'self' },
      besideExclusive: true,
      prepare: async (ctx) => {
        if (!hubRow(ctx.db)) throw new OpError('CONFLICT', 'This installation is not connected to a hub');
        await replica.syncNow();
      },
      run: () => replica.status(),
    }),
    handler('sync.issues', {
      access: { kind: 'self' },
      run: (ctx, input) => ({
        issues: stmt<[number], Omit<SyncIssue, 'input' | 'dismissed'> & { input: string; dismissed: number }>(
          ctx.db,
          'SELECT seq, operation, code, message, field, input, at, dismissed FROM sync_results WHERE dismissed = 0 OR ? ORDER BY seq',
        )
          .all(input.includeDismissed ? 1 : 0)
          .map((r) => ({ ...r, input: JSON.parse(r.input) as unknown, dismissed: r.dismissed === 1 })),
      }),
    }),
    handler('sync.dismiss', {
      access: { kind: 'self' },
      run: (ctx, input) => {
        const changed = stmt(ctx.db, 'UPDATE sync_results SET dismissed = 1 WHERE seq = ? AND dismissed = 0').run(input.seq).changes;
        if (changed === 0) throw new OpError('NOT_FOUND', `No open sync issue for command ${input.seq}`, { field: 'seq' });
        return { dismissed: changed };
      },
    }),
  ];
}
