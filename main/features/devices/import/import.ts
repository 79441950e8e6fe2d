import type { ImportRejection, ImportReport } from '../../../../shared/contract';
import { refreshStatistics } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import { OpError } from '../../../dispatch/errors';
import { handler } from '../../../dispatch/registry';
import { commonGroup } from '../common-group';
import { GroupResolver, type GroupChoice } from './groups';
import { parseCsvFile, parseJsonFile, type CandidateRow } from './rows';

const REPORT_MAX = 1000;

/** SQLite's NOCASE folds ASCII letters only; duplicates are judged exactly as the unique index will. */
const foldAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

interface Placed {
  row: CandidateRow;
  group: GroupChoice;
}

/**
 * Reads the file outside the transaction (it only needs the text), then places every row
 * in a group and checks names inside it, where the groups and existing devices are read
 * as they are committed. All-or-nothing writes nothing if any row was refused.
 */
export const devicesImportHandler = () =>
  handler('devices.import', {
    // Each row's group needs devices.manage (the resolver's per-row rule, reported row by row,
    // so a file is answered in full); the default group, when given, is decided up front.
    access: {
      kind: 'scoped',
      keys: ['devices.manage'],
      needs: (input) =>
        input.defaultGroupId
          ? [{ permission: 'devices.manage', on: { type: 'group', id: input.defaultGroupId, field: 'defaultGroupId' } }]
          : [],
    },
    // The parsed file is the input again: a replay parses it again rather than storing it twice.
    prepareAgain: true,
    prepare: (ctx, input) => {
      const needGroup = input.defaultGroupId === undefined;
      const now = ctx.clock.now();
      return Promise.resolve(
        input.format === 'csv' ? parseCsvFile(input.content, needGroup, now) : parseJsonFile(input.content, needGroup, now),
      );
    },
    run(ctx, input, parsed) {
      const { db } = ctx;
      const actorId = ctx.actor.userId;
      const resolver = new GroupResolver(db, actorId);
      let fallback: GroupChoice | undefined;
      if (input.defaultGroupId) {
        // The rule found the group visible and devices.manage held there; the resolver only names it.
        const answer = resolver.resolve(input.defaultGroupId);
        if (!('group' in answer)) throw new OpError('NOT_FOUND', answer.problem, { field: 'defaultGroupId' });
        fallback = answer.group;
      }
      const rejected: ImportRejection[] = [...parsed.rejected];
      const placed: Placed[] = [];
      for (const row of parsed.rows) {
        const answer =
          row.group === '' ? (fallback ? { group: fallback } : { problem: 'A group is required' }) : resolver.resolve(row.group);
        if (!('group' in answer)) rejected.push({ line: row.line, field: 'group', reason: answer.problem });
        else if (!answer.group.manage)
          rejected.push({
            line: row.line,
            field: 'group',
            reason: `You may not add devices to ${answer.group.name}: your role lacks devices.manage (Add, import, edit and remove devices) there`,
          });
        else placed.push({ row, group: answer.group });
      }
      const groups = new Map(placed.map((p) => [p.group.id, p.group]));
      const existing = new Set(
        stmt<[string], { group_id: string; name: string }>(
          db,
          'SELECT group_id, name FROM devices WHERE group_id IN (SELECT value FROM json_each(?))',
        )
          .all(JSON.stringify([...groups.keys()]))
          .map((d) => `${d.group_id}\t${foldAscii(d.name)}`),
      );
      const firstLine = new Map<string, number>();
      const good: Placed[] = [];
      for (const p of placed) {
        const key = `${p.group.id}\t${foldAscii(p.row.name)}`;
        const earlier = firstLine.get(key);
        if (existing.has(key))
          rejected.push({ line: p.row.line, field: 'name', reason: `${p.group.name} already has a device named ${p.row.name}` });
        else if (earlier !== undefined)
          rejected.push({ line: p.row.line, field: 'name', reason: `Duplicate of line ${earlier}: the same name in the same group` });
        else {
          firstLine.set(key, p.row.line);
          good.push(p);
        }
      }
      rejected.sort((a, b) => a.line - b.line);
      const write = !input.dryRun && (input.mode === 'good-rows' || rejected.length === 0);
      if (write) {
        const now = ctx.clock.now();
        const insert = stmt(
          db,
          `INSERT INTO devices (id, group_id, name, kind, os, status, last_backup_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const { row, group } of good)
          insert.run(ctx.entropy.id(), group.id, row.name, row.kind, row.os, row.status, row.lastBackupAt, now, now);
      }
      const report: ImportReport = {
        accepted: good.length,
        // Rows, not problems: a row with two mistakes is one row rejected (issue 15, finding 10); line 0 is the file itself.
        rejectedTotal: new Set(rejected.filter((r) => r.line > 0).map((r) => r.line)).size,
        problemTotal: rejected.length,
        rejected: rejected.slice(0, REPORT_MAX),
        imported: write ? good.length : 0,
        dryRun: input.dryRun === true,
        mode: input.mode,
      };
      const home = commonGroup(good.length > 0 ? [...new Set(good.map((p) => p.group))].map((g) => g.pathIds) : []);
      // A check writes nothing: the trail names it as a check, never as an import (issue 15, finding 8).
      ctx.audit({
        ...(report.dryRun ? { action: 'devices.import.dryRun' } : {}),
        target: { type: 'devices', id: 'import', name: `${input.format.toUpperCase()} import${report.dryRun ? ' check (dry run)' : ''}` },
        ...(home ? { groupId: home } : {}),
        after: {
          format: input.format,
          mode: input.mode,
          dryRun: report.dryRun,
          rows: parsed.seen,
          accepted: report.accepted,
          rejected: report.rejectedTotal,
          problems: report.problemTotal,
          imported: report.imported,
        },
      });
      return report;
    },
    // A large import can change the devices' shape for the planner: its statistics are refreshed once the rows are in.
    after: (ctx, report) => {
      if (report.imported > 0) refreshStatistics(ctx.db, 'writes');
      return Promise.resolve(report);
    },
  });
