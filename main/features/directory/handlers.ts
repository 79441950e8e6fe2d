import type { DirectoryEntry, DirectoryReport, DirectorySettings, DirectoryView } from '../../../shared/contract';
import { KIND_LABELS, nestingProblem, type GroupKind } from '../../../shared/access/groups';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { CommandContext } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { atCompany, requireCompany } from '../access/company-rule';
import { check, resolveTarget } from '../access/access';
import { requireSecretFollows } from '../../security/secret-destination';
import { applyDirectory } from './apply';
import { directorySource, readConnector, readFailure, SECRET_LABEL, secretDestination } from './connectors';
import { googlePrivateKey } from './google';
import { reportOf, settingsOf, SYNC_INTERVAL_MS, syncedDepartments, syncOf } from './store';

/** Configuring and running a sync creates departments and sets people's memberships: all three keys, at the company. */
export const DIRECTORY_KEYS = ['settings.manage', 'locations.manage', 'users.edit'] as const;

/** Which companies Steward is reading the directory of right now (the "syncing" status). */
export class SyncingCompanies {
  private readonly running = new Set<string>();
  has(companyId: string): boolean {
    return this.running.has(companyId);
  }
  async during<T>(companyId: string, work: () => Promise<T>): Promise<T> {
    this.running.add(companyId);
    try {
      return await work();
    } finally {
      this.running.delete(companyId);
    }
  }
}

function view(db: Db, companyId: string, syncing: SyncingCompanies): DirectoryView {
  const row = syncOf(db, companyId);
  return {
    companyId,
    configured: row !== undefined,
    enabled: row?.enabled === 1,
    settings: row ? settingsOf(row) : null,
    hasSecret: row?.secret_sealed != null,
    syncing: syncing.has(companyId),
    lastRunAt: row?.last_run_at ?? null,
    lastReport: row ? reportOf(row) : null,
    nextRunAt: row?.enabled === 1 ? (row.last_run_at ?? 0) + SYNC_INTERVAL_MS : null,
    departments: syncedDepartments(db, companyId).map((d) => ({
      groupId: d.group_id,
      name: d.name,
      directoryName: d.directory_name,
      source: d.source,
    })),
    version: row?.version ?? 0,
  };
}

/** Reads the company's directory as configured, with its connector (the secret opened from its seal). */
export async function readCompanyDirectory(db: Db, secrets: CommandContext['secrets'], companyId: string): Promise<DirectoryEntry[]> {
  const row = syncOf(db, companyId);
  if (!row) throw new OpError('NOT_FOUND', 'This company has no directory sync', { field: 'companyId' });
  return readConnector(settingsOf(row), row.secret_sealed ? secrets.open(row.secret_sealed).toString('utf8') : '');
}

/** A Google private key is checked before it is sealed, so a pasted key file or a public key is refused naming the field. */
async function requireUsableSecret(settings: DirectorySettings, secret: string): Promise<void> {
  if (settings.connector !== 'google') return;
  try {
    await googlePrivateKey(secret);
  } catch {
    throw new OpError(
      'VALIDATION',
      'The private key is the PEM text of the key file’s private_key (“-----BEGIN PRIVATE KEY-----” …), an RSA key',
      { field: 'secret' },
    );
  }
}

/** One run, as a command: applies the entries (or records why nothing was applied) and stores the report. */
function run(
  ctx: CommandContext,
  companyId: string,
  outcome: { entries: DirectoryEntry[] } | { readError: string },
  trigger: DirectoryReport['trigger'],
  stoppedBecause: string | null,
): DirectoryReport {
  const { db } = ctx;
  const company = requireCompany(db, companyId, 'the directory sync');
  const row = syncOf(db, companyId);
  if (!row) throw new OpError('NOT_FOUND', 'This company has no directory sync', { field: 'companyId' });
  ctx.audit({ target: { type: 'group', id: company.id, name: company.name }, groupId: company.id });
  // A sync set up before the rule held at a company where departments cannot sit changes nothing.
  const misplaced = departmentsMisplaced(company);
  const stopped =
    stoppedBecause ??
    (misplaced ? `${misplaced}: nothing was synced` : null) ??
    ('readError' in outcome ? `The directory could not be read: ${outcome.readError}` : null);
  const report: DirectoryReport =
    stopped !== null || !('entries' in outcome)
      ? {
          at: ctx.clock.now(),
          trigger,
          stopped,
          departments: { added: [], removed: [] },
          people: { changed: [], unchanged: 0 },
          skipped: [],
          skippedCount: 0,
        }
      : applyDirectory(db, ctx, { company, entries: outcome.entries, source: directorySource(settingsOf(row)), trigger });
  stmt(db, 'UPDATE directory_sync SET last_run_at = ?, last_report = ? WHERE company_id = ?').run(
    report.at,
    JSON.stringify(report),
    companyId,
  );
  // One audit event per run, with its report.
  ctx.audit({ target: { type: 'group', id: company.id, name: company.name }, groupId: company.id, after: { report } });
  return report;
}

/** R15's rule for the weekly run: it acts only while whoever turned the sync on still holds every key it needs at the company. */
function configurerLost(db: Db, row: { enabled_by: string | null; company_id: string }): string | null {
  if (!row.enabled_by) return 'whoever turned the sync on no longer exists; turn it on again';
  const target = resolveTarget(db, 'group', row.company_id, row.enabled_by);
  const missing = DIRECTORY_KEYS.filter((key) => !target || !check(db, row.enabled_by ?? '', key, target).allowed);
  return missing.length > 0 ? `whoever turned the sync on no longer holds ${missing.join(', ')} here; turn it on again` : null;
}

/**
 * The company a directory sync is set up for, where synced departments may sit (R29 with the
 * group nesting rules, seed 001): a customer. A provider, distributor or reseller has no
 * departments of its own, so its directory's departments would break the tree. VALIDATION on
 * `companyId`, saying why; NOT_FOUND as requireCompany.
 */
function requireDepartmentsFit(db: Db, companyId: string) {
  const company = requireCompany(db, companyId, 'the directory sync');
  const misplaced = departmentsMisplaced(company);
  if (misplaced)
    throw new OpError('VALIDATION', `${misplaced}: set up the directory sync at the customer whose directory it is`, {
      field: 'companyId',
    });
  return company;
}

/** Why departments cannot sit in `company` ("A department sits inside a customer…, and “X” is a reseller"), or null at a customer. */
function departmentsMisplaced(company: { name: string; kind: GroupKind }): string | null {
  const problem = nestingProblem(company.kind, 'department');
  return problem && `${problem}, and “${company.name}” is a ${KIND_LABELS[company.kind].toLowerCase()}`;
}

export function directoryHandlers(syncing: SyncingCompanies): RegisteredHandler[] {
  return [
    handler('directory.get', {
      access: atCompany(['settings.view']),
      run(ctx, input) {
        requireCompany(ctx.db, input.companyId, 'the directory sync');
        return view(ctx.db, input.companyId, syncing);
      },
    }),
    handler('directory.configure', {
      access: atCompany(DIRECTORY_KEYS),
      async prepare(ctx, input) {
        // Refused before the directory is reached with the secret.
        requireDepartmentsFit(ctx.db, input.companyId);
        if (input.secret === undefined) return { sealed: undefined };
        await requireUsableSecret(input.settings, input.secret);
        return { sealed: ctx.secrets.seal(Buffer.from(input.secret, 'utf8')).toString('base64') };
      },
      run(ctx, input, { sealed }) {
        const { db } = ctx;
        const company = requireDepartmentsFit(db, input.companyId);
        ctx.audit({ target: { type: 'group', id: company.id, name: company.name }, groupId: company.id });
        const stored = syncOf(db, company.id);
        if (input.baseVersion !== (stored?.version ?? 0))
          throw new OpError('CONFLICT', 'The directory sync was changed since you opened it. Reload to see the change.', {
            field: 'baseVersion',
          });
        const what = SECRET_LABEL[input.settings.connector];
        requireSecretFollows({
          before: stored ? secretDestination(settingsOf(stored)) : null,
          after: secretDestination(input.settings),
          stored: stored?.secret_sealed != null,
          given: sealed !== undefined,
          field: 'secret',
          what,
        });
        const secret = sealed === undefined ? (stored?.secret_sealed ?? null) : Buffer.from(sealed, 'base64');
        // Microsoft and Google give no token without it; an LDAP directory may allow an anonymous bind.
        if (input.enabled && secret === null && input.settings.connector !== 'ldap')
          throw new OpError('VALIDATION', `The sync needs the ${what} before it can be turned on`, { field: 'secret' });
        const before = view(db, company.id, syncing);
        // Turning it on records who did: the weekly runs act within that person's rights.
        const enabledBy = input.enabled ? (stored?.enabled === 1 ? (stored.enabled_by ?? ctx.actor.userId) : ctx.actor.userId) : null;
        stmt(
          db,
          `INSERT INTO directory_sync (company_id, connector, settings, secret_sealed, enabled, enabled_by, version, updated_at)
           VALUES (@company, @connector, @settings, @secret, @enabled, @enabledBy, 1, @now)
           ON CONFLICT (company_id) DO UPDATE SET connector = excluded.connector, settings = excluded.settings,
             secret_sealed = excluded.secret_sealed, enabled = excluded.enabled, enabled_by = excluded.enabled_by,
             version = directory_sync.version + 1, updated_at = excluded.updated_at`,
        ).run({
          company: company.id,
          connector: input.settings.connector,
          settings: JSON.stringify(input.settings),
          secret,
          enabled: input.enabled ? 1 : 0,
          enabledBy,
          now: ctx.clock.now(),
        });
        const after = view(db, company.id, syncing);
        ctx.audit({
          target: { type: 'group', id: company.id, name: company.name },
          groupId: company.id,
          before: { directory: { ...before, lastReport: null } },
          after: { directory: { ...after, lastReport: null }, ...(sealed !== undefined ? { secret: 'replaced' } : {}) },
        });
        return after;
      },
    }),
    handler('directory.syncNow', {
      access: atCompany(DIRECTORY_KEYS),
      async prepare(ctx, input) {
        const row = syncOf(ctx.db, input.companyId);
        if (!row) throw new OpError('NOT_FOUND', 'This company has no directory sync yet', { field: 'companyId' });
        if (row.enabled !== 1) throw new OpError('CONFLICT', 'The directory sync is off: turn it on first', { field: 'companyId' });
        return syncing.during(input.companyId, async () => {
          try {
            return { entries: await readCompanyDirectory(ctx.db, ctx.secrets, input.companyId) };
          } catch (error) {
            if (error instanceof OpError) throw error;
            return { readError: readFailure(error) };
          }
        });
      },
      run: (ctx, input, outcome) => run(ctx, input.companyId, outcome, 'manual', null),
    }),
    handler('directory.syncScheduled', {
      access: { kind: 'system' },
      run(ctx, input) {
        const row = syncOf(ctx.db, input.companyId);
        if (!row || row.enabled !== 1) throw new OpError('NOT_FOUND', 'This company has no directory sync on', { field: 'companyId' });
        const outcome = input.readError === undefined ? { entries: input.entries } : { readError: input.readError };
        return run(ctx, input.companyId, outcome, 'scheduled', configurerLost(ctx.db, row));
      },
    }),
  ];
}
