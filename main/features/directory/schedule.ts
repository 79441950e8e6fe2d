import type { Db } from '../../db/connection';
import type { Clock } from '../../dispatch/context';
import { log } from '../../log';
import type { SecretBox } from '../../security/secret-box';
import { readCompanyDirectory, type SyncingCompanies } from './handlers';
import { readFailure } from './connectors';
import { dueSyncs } from './store';

/** How often the schedule looks for companies whose weekly sync is due. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * The weekly directory sync (issue 14). Every hour, each company whose sync is on and last ran
 * a week ago or more has its directory read here (async, outside any command: it only reads),
 * then applied by the system command `directory.syncScheduled` ("System (directory sync)"),
 * whose input carries what was read, so a replay applies the same directory. A directory that
 * cannot be read is recorded as such by the same command, so the report says why.
 */
export class DirectorySchedule {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly syncing: SyncingCompanies,
    private readonly apply: (input: { companyId: string; entries: unknown[]; readError?: string }) => { ok: boolean },
  ) {}

  start(): void {
    void this.runDue();
    this.timer = setInterval(() => void this.runDue(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** Runs every due sync, one company after another; resolves when they are done. */
  runDue(): Promise<void> {
    this.busy ??= this.work().finally(() => (this.busy = null));
    return this.busy;
  }

  private async work(): Promise<void> {
    for (const row of dueSyncs(this.db, this.clock.now())) {
      const input = await this.syncing.during(row.company_id, async () => {
        try {
          return { companyId: row.company_id, entries: await readCompanyDirectory(this.db, this.secrets, row.company_id) };
        } catch (error) {
          return {
            companyId: row.company_id,
            entries: [],
            readError: readFailure(error),
          };
        }
      });
      if (!this.apply(input).ok) log.error('directory sync failed; it runs again at the next check');
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
