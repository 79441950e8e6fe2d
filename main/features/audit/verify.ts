import type { Db } from '../../db/connection';
import { handler } from '../../dispatch/registry';
import { atRoot } from '../access/root-rule';
import { AuditLog } from './audit-log';

/** The whole chain is one installation-wide fact, so checking it needs audit.view at the root. */
export const auditVerifyHandler = (db: Db) =>
  handler('audit.verify', {
    access: atRoot('audit.view'),
    run() {
      const result = new AuditLog(db).verify();
      return { intact: result.broken === null, ...result };
    },
  });
