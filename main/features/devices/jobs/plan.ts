import type { BulkAction, BulkPlan, BulkSelection } from '../../../../shared/contract';
import type { Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import { findGroup } from '../../access/tree';
import { actorSubject, loadMembers, type Member } from '../classify';
import { describeFilter } from '../query';
import { HIDDEN_MEMBER } from './store';
import { addPairs, classifyPage, emptyTally, maxDeviceRowid, normalizeSelection, planPage, toCounts } from './selection';

export interface PlanInput {
  selection: BulkSelection;
  userIds: string[];
  action: BulkAction;
}

export interface PlannedJob {
  plan: BulkPlan;
  selection: BulkSelection;
  selectionText: string;
  maxRowid: number;
}

/** Pages small enough that each stays a few milliseconds of work at 100,000 devices. */
const PLAN_PAGE = 500;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The dry run (devices.bulkPlan): every pair of the selection classified exactly as the job
 * will classify it, page by page (planPage: a filter in table order), giving the event loop
 * back between pages so the console stays responsive while 100,000 devices are planned.
 * Reads only. A job makes the same dry run in its own first steps (steps.ts).
 */
export async function planBulk(db: Db, actorId: string, input: PlanInput): Promise<PlannedJob> {
  const selection = normalizeSelection(input.selection);
  const userIds = [...new Set(input.userIds)];
  const selectionText = describeSelection(db, selection);
  const maxRowid = maxDeviceRowid(db);
  const tally = emptyTally();
  let devices = 0;
  let cursor = 0;
  let members: Member[];
  for (;;) {
    // Bindings and members are re-read every page: the plan reflects the state as it goes.
    const actor = actorSubject(db, actorId);
    members = loadMembers(db, actor, userIds);
    const page = planPage(db, actor, selection, maxRowid, cursor, PLAN_PAGE);
    for (const { pairs } of classifyPage(db, input.action, actor, members, page.devices)) addPairs(tally, pairs);
    devices += page.devices.length;
    cursor = page.next;
    if (page.done) break;
    await nextTurn();
  }
  const shown = members.map((m) => ({ userId: m.userId, username: m.visible ? m.username : HIDDEN_MEMBER }));
  return {
    plan: {
      action: input.action,
      devices,
      members: shown,
      pairs: devices * userIds.length,
      ...toCounts(tally, shown),
    },
    selection,
    selectionText,
    maxRowid,
  };
}

export function describeSelection(db: Db, selection: BulkSelection): string {
  if ('deviceIds' in selection) {
    const n = selection.deviceIds.length;
    return `${n.toLocaleString('en')} picked device${n === 1 ? '' : 's'}`;
  }
  const { groupId, assigneeId } = selection.filter;
  // Both were decided by the operation's rule (deviceFilterNeeds), the same way the list decides them.
  const group = groupId ? findGroup(db, groupId)?.name : undefined;
  const assignee = assigneeId
    ? stmt<[string], { username: string }>(db, 'SELECT username FROM users WHERE id = ?').get(assigneeId)?.username
    : undefined;
  const words = describeFilter(selection.filter, { ...(group ? { group } : {}), ...(assignee ? { assignee } : {}) });
  const except = selection.exceptIds?.length ?? 0;
  return except === 0 ? words : `${words}, except ${except.toLocaleString('en')} device${except === 1 ? '' : 's'}`;
}
