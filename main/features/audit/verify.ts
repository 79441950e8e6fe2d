import { handler } from '../../dispatch/registry';
import { atRoot } from '../access/root-rule';
import { AuditLog } from './audit-log';

/** The whole chain is one installation-wide fact, so checking it needs audit.view at the root. */
export const auditVerifyHandler = () =>
  handler('audit.verify', {
    readPool: true,
    access: atRoot('audit.view'),
    run(ctx) {
      const result = new AuditLog(ctx.db).verify();
      return { intact: result.broken === null, ...result };
    },
  });
