import { AUDIT_COUNT_CAP } from '../../../shared/contract';
import { handler } from '../../dispatch/registry';
import { auditWhere, countEvents, readEvents } from './query';
import { redactForReader } from './redact';

/** The audit view's page: newest first, paged by sequence number, counted up to a cap. */
export const auditListHandler = () =>
  handler('audit.list', {
    readPool: true,
    // The filter may name removed groups and people: auditWhere decides those (R13), not declared needs.
    access: { kind: 'list', permission: 'audit.view' },
    run(ctx, input) {
      const { db } = ctx;
      const { beforeSeq, limit, ...filter } = input;
      const where = auditWhere(db, ctx.actor.userId, filter);
      const total = countEvents(db, where, AUDIT_COUNT_CAP + 1);
      return {
        events: redactForReader(db, ctx.actor.userId, readEvents(db, where, beforeSeq ?? 0, limit ?? 50)),
        total: Math.min(total, AUDIT_COUNT_CAP),
        totalCapped: total > AUDIT_COUNT_CAP,
      };
    },
  });
