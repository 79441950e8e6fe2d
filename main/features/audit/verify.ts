import type { Db } from '../../db/connection';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { requirePermission } from '../access/access';
import { rootGroup } from '../access/tree';
import { requireActor } from '../auth/deps';
import { AuditLog } from './audit-log';

/** The whole chain is one installation-wide fact, so checking it needs audit.view at the root. */
export const auditVerifyHandler = (db: Db) =>
  handler('audit.verify', {
    access: { kind: 'self' },
    run(ctx) {
      const root = rootGroup(db);
      if (!root) throw new OpError('SETUP_REQUIRED', 'Steward is not set up yet');
      try {
        requirePermission(db, requireActor(ctx).userId, 'audit.view', 'group', root.id);
      } catch (error) {
        if (error instanceof OpError)
          throw new OpError('FORBIDDEN', 'Checking the whole audit chain needs audit.view at the root of the tree');
        throw error;
      }
      const result = new AuditLog(db).verify();
      return { intact: result.broken === null, ...result };
    },
  });
