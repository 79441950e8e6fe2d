import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  deviceFilterSchema,
  type BulkPlan,
  type DeviceFilter,
  type ImportReport,
  type JobInfo,
  type JobResultRow,
  type UserSummary,
} from '../shared/contract';
import { nameKey } from '../shared/names';
import type { ConsoleClient } from './client';
import { CliError, EXIT } from './exit-codes';
import { valueOf, type Output } from './output';
import { addFieldOptions, fieldFlags, inputFrom, inputSchemaOf } from './schema-flags';
import type { Connect } from './session';

const FILTER_FLAGS = fieldFlags(inputSchemaOf(deviceFilterSchema));
const FINISHED: ReadonlySet<JobInfo['state']> = new Set(['done', 'cancelled', 'failed', 'rolled_back']);
const POLL_MS = 250;
const RESULTS_WINDOW = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A progress bar on stderr, drawn as a line every second where stderr is not a terminal (logs, CI). */
function progressBar(label: string): SingleBar {
  return new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} devices`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 1000,
    hideCursor: true,
  });
}

/** Follows a job until it ends, with a bar over `progress(job)`; answers the job as it ended. */
async function follow(
  client: ConsoleClient,
  out: Output,
  job: JobInfo,
  label: string,
  progress: (j: JobInfo) => [number, number],
  done: (j: JobInfo) => boolean,
): Promise<JobInfo> {
  const bar = out.json ? null : progressBar(label);
  const [start, total] = progress(job);
  bar?.start(total, start);
  let current = job;
  while (!done(current)) {
    await sleep(POLL_MS);
    current = valueOf(await client.call<JobInfo>('devices.jobGet', { jobId: job.id }));
    const [value, newTotal] = progress(current);
    bar?.setTotal(newTotal);
    bar?.update(value);
  }
  bar?.stop();
  return current;
}

async function allResults(client: ConsoleClient, jobId: string): Promise<JobResultRow[]> {
  const rows: JobResultRow[] = [];
  for (let offset = 0; ; offset += RESULTS_WINDOW) {
    const page = valueOf(
      await client.call<{ total: number; rows: JobResultRow[] }>('devices.jobResults', {
        jobId,
        window: { offset, limit: RESULTS_WINDOW },
      }),
    );
    rows.push(...page.rows);
    if (page.rows.length < RESULTS_WINDOW || rows.length >= page.total) return rows;
  }
}

function resultLine(row: JobResultRow): string {
  const name = row.deviceName ?? `(removed) ${row.deviceId}`;
  const changed = row.changed.map((m) => m.username).join(', ');
  const refused = row.refused.map((r) => `${r.username}: ${r.message}`).join('; ');
  return [name, row.status, changed && `changed for ${changed}`, refused && `refused for ${refused}`].filter(Boolean).join('\t');
}

function countsLine(plan: Pick<BulkPlan, 'willChange' | 'unchanged' | 'refused' | 'devicesChanged'>, verb: string): string {
  const refused = plan.refused.reduce((n, r) => n + r.count, 0);
  const reasons = plan.refused.map((r) => `${r.count} ${r.message}`).join('; ');
  return `${plan.willChange} pairs ${verb} (${plan.devicesChanged} devices), ${plan.unchanged} already so, ${refused} refused${reasons ? `: ${reasons}` : ''}`;
}

/** The members named by --to: an id, or a username or email (compared as people read them), among those the caller may see. */
async function resolveMembers(client: ConsoleClient, names: readonly string[]): Promise<Array<{ id: string; username: string }>> {
  const members: Array<{ id: string; username: string }> = [];
  for (const name of names) {
    // The search matches parts of names and emails (a company's domain holds "tom" for all its people): read every page of it.
    const match: UserSummary[] = [];
    for (let offset = 0; ;) {
      const page = valueOf(await client.call<{ users: UserSummary[]; total: number }>('users.list', { query: name, limit: 500, offset }));
      match.push(...page.users.filter((u) => u.id === name || nameKey(u.username) === nameKey(name) || nameKey(u.email) === nameKey(name)));
      offset += page.users.length;
      if (page.users.length === 0 || offset >= page.total) break;
    }
    const [only, ...more] = match;
    if (!only) throw new CliError(`No member "${name}" that you can see`, EXIT.notFound, 'NOT_FOUND', 'to');
    if (more.length > 0)
      throw new CliError(`"${name}" names ${match.length} members; give the id instead`, EXIT.invalid, 'VALIDATION', 'to');
    members.push({ id: only.id, username: only.username });
  }
  return members;
}

/** `steward devices import|export|assign` and `steward jobs undo`: the technician's tasks over the same operations. */
export function addDeviceCommands(program: Command, connect: Connect, output: () => Output): void {
  const devices = program.command('devices').description('Device tasks: import, export, bulk assignment');

  devices
    .command('import')
    .argument('<file>', 'a CSV or JSON file in the export format (name, kind, os, status, lastBackupAt, group)')
    .description('Import devices from a file, with the per-row report; all or nothing unless --good-rows')
    .option('--dry-run', 'check every row and report, writing nothing')
    .option('--good-rows', 'import the rows that pass even when others are refused')
    .option('--format <format>', 'csv or json (default: from the file name)')
    .option('--default-group <id>', 'the group for rows without one')
    .action(async (file: string, options: { dryRun?: boolean; goodRows?: boolean; format?: string; defaultGroup?: string }) => {
      const out = output();
      const format = options.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, EXIT.invalid);
      }
      const report = valueOf(
        await connect().call<ImportReport>('devices.import', {
          format,
          content,
          mode: options.goodRows ? 'good-rows' : 'all-or-nothing',
          ...(options.dryRun ? { dryRun: true } : {}),
          ...(options.defaultGroup ? { defaultGroupId: options.defaultGroup } : {}),
        }),
      );
      const lines = report.rejected.map((r) => `line ${r.line}${r.field ? `, ${r.field}` : ''}: ${r.reason}`);
      const summary = `${report.dryRun ? 'Dry run: ' : ''}${report.accepted} rows pass, ${report.rejectedTotal} refused; ${report.imported} imported.`;
      out.print([...lines, summary].join('\n'), { ok: true, value: report });
      // Refused rows, or a file refused as a whole (line 0: its encoding or shape), are bad input:
      // scripts see it in the exit code even when the good rows went in.
      if (report.rejectedTotal > 0 || report.problemTotal > 0) process.exitCode = EXIT.invalid;
    });

  addFieldOptions(
    devices
      .command('export')
      .description('Export the devices matching the filters, in the import format, to stdout or --output')
      .option('--format <format>', 'csv or json', 'csv')
      .option('--bom', 'start a CSV with a byte order mark, for spreadsheet programs')
      .option('--output <file>', 'write the file here instead of to stdout'),
    FILTER_FLAGS,
  ).action(async (options: Record<string, unknown>) => {
    const out = output();
    const filter = inputFrom(options, FILTER_FLAGS);
    const file = valueOf(
      await connect().call<{ content: string; rows: number }>('devices.export', {
        filter,
        format: options.format,
        ...(options.bom ? { bom: true } : {}),
      }),
    );
    if (typeof options.output === 'string') {
      writeFileSync(options.output, file.content);
      out.print(`${file.rows} devices written to ${options.output}.`, { ok: true, value: { rows: file.rows, file: options.output } });
    } else process.stdout.write(file.content);
  });

  addFieldOptions(
    devices
      .command('assign')
      .description('Assign (or --unassign) every device matching the filters to members, as a job: progress, then per-device results')
      .requiredOption('--to <members...>', 'members by username, email or id')
      .option('--unassign', 'take the devices away from those members instead')
      .option('--dry-run', 'show what would change, what is already so and what is refused, changing nothing'),
    FILTER_FLAGS,
  ).action(async (options: Record<string, unknown>) => {
    const out = output();
    const client = connect();
    const filter = inputFrom(options, FILTER_FLAGS) as DeviceFilter;
    const members = await resolveMembers(client, options.to as string[]);
    const action = options.unassign ? 'unassign' : 'assign';
    const input = { selection: { filter }, userIds: members.map((m) => m.id), action };
    const verb = action === 'assign' ? 'to assign' : 'to unassign';
    if (options.dryRun) {
      const plan = valueOf(await client.call<BulkPlan>('devices.bulkPlan', input));
      out.print(`Dry run: ${plan.devices} devices, ${countsLine(plan, verb)}.`, { ok: true, value: plan });
      return;
    }
    const started = valueOf(await client.call<JobInfo>('devices.bulkAssign', input));
    out.note(
      `Job ${started.id}: ${action} ${started.total} devices (${started.selection}) for ${members.map((m) => m.username).join(', ')}`,
    );
    const job = await follow(
      client,
      out,
      started,
      action === 'assign' ? 'Assigning' : 'Unassigning',
      (j) => [j.processed, j.total],
      (j) => FINISHED.has(j.state),
    );
    const rows = await allResults(client, job.id);
    const done = `Job ${job.id} ${job.state}: ${countsLine(job.counts, action === 'assign' ? 'assigned' : 'unassigned')}.${job.note ? ` ${job.note}` : ''} Undo: steward jobs undo ${job.id}`;
    out.print([...rows.map(resultLine), done].join('\n'), { ok: true, value: { job, results: rows } });
    if (job.state !== 'done') process.exitCode = EXIT.conflict;
    else if (job.counts.refused.length > 0) process.exitCode = EXIT.refused;
  });

  const jobs = program.command('jobs').description('Bulk device jobs');
  jobs
    .command('undo')
    .argument('<id>', 'the job id (steward devices assign prints it)')
    .description("Undo a finished job: exactly the pairs it changed are restored; others' later changes are kept")
    .action(async (id: string) => {
      const out = output();
      const client = connect();
      const started = valueOf(await client.call<JobInfo>('devices.jobUndo', { jobId: id }));
      const job = await follow(
        client,
        out,
        started,
        'Undoing',
        (j) => [j.undo?.restored ?? 0, j.undo?.total ?? 0],
        (j) => j.state !== 'rolling_back',
      );
      const undo = job.undo ?? { total: 0, restored: 0, skipped: 0 };
      out.print(
        `Job ${job.id} ${job.state}: ${undo.restored} of ${undo.total} devices restored, ${undo.skipped} left alone.${job.note ? ` ${job.note}` : ''}`,
        {
          ok: true,
          value: job,
        },
      );
      if (job.state !== 'rolled_back') process.exitCode = EXIT.conflict;
    });
}
