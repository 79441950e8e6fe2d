import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase, type Db } from './db/connection';
import type { Clock, Entropy } from './dispatch/context';
import { Dispatcher } from './dispatch/dispatcher';
import { AccessAuthorizer } from './features/access/authorize';
import { Registry } from './dispatch/registry';
import { accessHandlers } from './features/access/handlers';
import { accessMineHandler } from './features/access/mine';
import { hygieneHandler } from './features/access/hygiene';
import { invalidateRoles } from './features/access/roles-cache';
import { auditExportHandler } from './features/audit/export';
import { auditListHandler } from './features/audit/list';
import { applyAuditRetention } from './features/audit/retention';
import { auditVerifyHandler } from './features/audit/verify';
import { authHandlers } from './features/auth';
import { deviceHandlers } from './features/devices';
import { invalidatePlaces } from './features/devices/classify';
import { JobRunner, type JobRunnerOptions } from './features/devices/jobs/runner';
import { invitationPublicHandlers } from './features/invitations/accept';
import { invitationManageHandlers } from './features/invitations/manage';
import { settingsHandlers } from './features/settings/handlers';
import { groupHandlers } from './features/groups';
import { roleHandlers } from './features/roles';
import { userHandlers } from './features/users';
import { SessionStore } from './features/auth/sessions';
import { Throttle } from './features/auth/throttle';
import { ensurePrivateDir } from './security/private-files';
import { createSecretBox, loadOrCreateKey, type KeySealer, type SecretBox } from './security/secret-box';

export interface StewardOptions {
  dataDir: string;
  clock?: Clock;
  entropy?: Entropy;
  keySealer?: KeySealer;
  nativeBinding?: string;
  /** Bulk device jobs: chunk sizing, and a pause between chunks for tests that stop a process mid-job. */
  jobs?: JobRunnerOptions;
}

export interface Steward {
  dataDir: string;
  db: Db;
  secrets: SecretBox;
  dispatcher: Dispatcher;
  /** Every operation with its access rule, for the catalog-coverage test and docs. */
  registry: Registry;
  jobs: JobRunner;
  close(): void;
}

export const systemClock: Clock = { now: () => Date.now() };
export const systemEntropy: Entropy = { bytes: (n) => randomBytes(n), id: () => randomUUID() };

export const DATABASE_FILE = 'steward.db';

/** Opens (or creates) a data folder and wires every feature to the one dispatcher. */
export function openSteward(options: StewardOptions): Steward {
  // 0700 even when the folder already existed wider: everything below it is the installation's secrets.
  ensurePrivateDir(options.dataDir);
  const secrets = createSecretBox(loadOrCreateKey(options.dataDir, options.keySealer));
  const db = openDatabase(join(options.dataDir, DATABASE_FILE), {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    secrets,
  });
  const services = { db, clock: options.clock ?? systemClock, entropy: options.entropy ?? systemEntropy, secrets };
  applyAuditRetention(db, services.clock);
  const sessions = new SessionStore(db);
  const throttle = new Throttle(db);
  const authDeps = { sessions, throttle };
  const jobs = new JobRunner(db, services.clock, options.jobs);
  const registry = new Registry().register(
    ...authHandlers(authDeps),
    ...groupHandlers(),
    ...userHandlers(throttle),
    ...roleHandlers(),
    ...accessHandlers(),
    accessMineHandler(),
    ...invitationManageHandlers(),
    ...invitationPublicHandlers(authDeps),
    ...settingsHandlers(db),
    auditListHandler(),
    auditExportHandler(),
    auditVerifyHandler(db),
    hygieneHandler(),
    ...deviceHandlers(db, jobs),
  );
  const dispatcher = new Dispatcher(services, registry, sessions, new AccessAuthorizer(db));
  // A rolled-back role edit must not leave its uncommitted permissions in the cache.
  dispatcher.onCommandEnd(() => invalidateRoles(db));
  dispatcher.onCommandEnd(() => invalidatePlaces(db));
  // A job a crash interrupted resumes (or rolls back) as soon as the data folder is open.
  jobs.recover();
  return {
    dataDir: options.dataDir,
    db,
    secrets,
    dispatcher,
    registry,
    jobs,
    close: () => {
      dispatcher.flushRefusals();
      jobs.close();
      db.close();
    },
  };
}
