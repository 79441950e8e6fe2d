import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase, type Db } from './db/connection';
import { Checkpointer } from './db/checkpointer';
import { ReadPool } from './db/read-pool';
import { describeCollisions, nameCollisions } from './db/name-keys';
import { log } from './log';
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
import { AuditLog } from './features/audit/audit-log';
import { auditPruneHandler, RetentionSchedule } from './features/audit/retention';
import { auditVerifyHandler } from './features/audit/verify';
import { dashboardHandlers } from './features/dashboard/handlers';
import { historyPruneHandler } from './features/history/retention';
import { HistorySchedule } from './features/history/schedule';
import { historySnapshotHandler } from './features/history/snapshot';
import { deviceTimelineHandler } from './features/history/timeline';
import { authHandlers } from './features/auth';
import { deviceHandlers } from './features/devices';
import { invalidatePlaces } from './features/devices/classify';
import { JobRunner, type JobRunnerOptions } from './features/devices/jobs/runner';
import { jobStepHandlers } from './features/devices/jobs/steps';
import { invitationPublicHandlers } from './features/invitations/accept';
import { invitationManageHandlers } from './features/invitations/manage';
import { settingsHandlers } from './features/settings/handlers';
import { directoryHandlers, SyncingCompanies } from './features/directory/handlers';
import { DirectorySchedule } from './features/directory/schedule';
import { ssoConfigHandlers } from './features/sso/config';
import { ssoSignInHandlers } from './features/sso/sign-in';
import { groupHandlers } from './features/groups';
import { roleHandlers } from './features/roles';
import { savedFilterHandlers } from './features/saved-filters/handlers';
import { userHandlers } from './features/users';
import { peopleDirectory, sessionPolicy } from './features/users/directory';
import { installationId } from './sync/installation';
import { idKnownHere } from './sync/known-ids';
import { Replica } from './sync/replica';
import type { HubLink } from './sync/hub-client';
import { hubRow } from './sync/replica-store';
import { installUndo } from './sync/undo';
import { syncHandlers } from './features/sync/handlers';
import { SessionStore } from './features/auth/sessions';
import { Throttle } from './features/auth/throttle';
import { openSetupCode, type FirstRunGate, type FirstRunMode } from './features/auth/setup-code';
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
  /**
   * false: Steward starts no work of its own (job recovery and runs, retention). For a replay,
   * whose command log already holds that work, in the order it happened.
   */
  background?: boolean;
  /** How a replica reaches its hub; HTTPS unless a test of sync itself links in-process. */
  syncLink?: HubLink;
  /**
   * Runs the reads that can take long in worker threads (docs/architecture.md, "The read pool"):
   * `script` is the bundle of main/read-worker.ts. Without it they run on the main thread.
   */
  readPool?: { script: string | URL; workers?: number; warm?: boolean };
  /**
   * Checkpoints the WAL in a thread of its own (main/db/checkpointer.ts) instead of inside the
   * writer's commits; `script` is the read worker's bundle. Default: on with a warm read pool (the
   * console, the hub, the desktop), with its script.
   */
  checkpointer?: { script: string | URL };
  /**
   * Who may take the first-run setup (R35): `local` (default; the desktop, the web console)
   * only callers on this machine; `code` (the hub) whoever gives the one-time setup code,
   * which opening a folder without accounts writes to `<dataDir>/setup-code` (0600).
   */
  firstRun?: FirstRunMode;
}

export interface Steward {
  dataDir: string;
  db: Db;
  secrets: SecretBox;
  dispatcher: Dispatcher;
  /** Every operation with its access rule, for the catalog-coverage test and docs. */
  registry: Registry;
  jobs: JobRunner;
  /** The weekly directory sync; `runDue()` runs what is due now (tests, and after the clock moves). */
  directory: DirectorySchedule;
  /** The daily status snapshot and history retention; `runDue()` runs what is due now (tests, after the clock moves). */
  history: HistorySchedule;
  /** This data folder's installation id (the origin of its commands). */
  installationId: string;
  /** Its side of sync with a hub (idle until it is connected to one). */
  replica: Replica;
  /** Resolves once a replica has picked up where it stopped (a rebase half done) and started syncing. */
  ready: Promise<void>;
  /** The read pool, when StewardOptions.readPool asked for one. */
  reads: ReadPool | null;
  /** Who may take the first-run setup; in `code` mode, the code to print while it is still to be taken. */
  firstRun: FirstRunGate;
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
  const file = join(options.dataDir, DATABASE_FILE);
  const db = openDatabase(file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    secrets,
  });
  // Names that read the same from before R16 stay as they are; people are told until one of each is renamed.
  const collisions = nameCollisions(db);
  if (collisions.length > 0) log.info(describeCollisions(collisions));
  const services = { db, clock: options.clock ?? systemClock, entropy: options.entropy ?? systemEntropy, secrets };
  const sessions = new SessionStore(db);
  const throttle = new Throttle(db);
  const authDeps = { sessions, throttle };
  const firstRun = openSetupCode(options.dataDir, db, options.firstRun ?? 'local', services.entropy);
  const background = options.background !== false;
  const syncing = new SyncingCompanies();
  const jobs = new JobRunner(db, background ? options.jobs : { ...options.jobs, autoStart: false });
  const registry = new Registry().register(
    ...authHandlers(authDeps, firstRun),
    ...groupHandlers(),
    ...userHandlers(throttle),
    ...roleHandlers(),
    ...accessHandlers(),
    accessMineHandler(),
    ...invitationManageHandlers(),
    ...invitationPublicHandlers(authDeps),
    ...settingsHandlers(),
    ...ssoConfigHandlers(),
    ...ssoSignInHandlers(authDeps),
    ...directoryHandlers(syncing),
    auditListHandler(),
    auditExportHandler(),
    auditVerifyHandler(),
    hygieneHandler(),
    ...savedFilterHandlers(),
    ...deviceHandlers(jobs),
    ...jobStepHandlers(),
    auditPruneHandler(),
    ...dashboardHandlers(),
    deviceTimelineHandler(),
    historySnapshotHandler(),
    historyPruneHandler(),
  );
  const installation = installationId(db);
  // After openDatabase: the workers' connections are read-only and find the schema migrated.
  const reads = options.readPool
    ? new ReadPool({ file, ...options.readPool, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
    : null;
  const checkpointScript = options.checkpointer?.script ?? (options.readPool?.warm ? options.readPool.script : undefined);
  const checkpointer = checkpointScript
    ? new Checkpointer(db, { file, script: checkpointScript, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
    : null;
  if (checkpointer) jobs.checkpointWith(checkpointer);
  let replica: Replica | null = null;
  registry.register(
    ...syncHandlers(
      {
        status: () => (replica as Replica).status(),
        connect: (input) => (replica as Replica).connect(input),
        setWorkOffline: (offline) => (replica as Replica).setWorkOffline(offline),
        syncNow: () => (replica as Replica).syncNow(),
      },
      authDeps,
    ),
  );
  const dispatcher = new Dispatcher({
    services,
    installationId: installation,
    registry,
    authorizer: new AccessAuthorizer(db),
    audit: new AuditLog(db),
    sessions,
    policy: sessionPolicy(db),
    people: peopleDirectory(db),
    knownIds: { known: (id) => idKnownHere(db, id) },
    ...(reads ? { reads } : {}),
  });
  // A rolled-back role edit must not leave its uncommitted permissions in the cache.
  dispatcher.onCommandEnd(() => invalidateRoles(db));
  dispatcher.onCommandEnd(() => invalidatePlaces(db));
  // The setup code is spent once a setup committed: a refused one leaves it to try again.
  dispatcher.onCommitted((name) => {
    if (name === 'auth.setup') firstRun.consume();
  });
  jobs.attach((name, input) => dispatcher.runSystem(name, input, 'job runner'));
  // A replica's undo triggers follow its tables' columns, as the capture triggers do.
  if (hubRow(db)) installUndo(db);
  replica = new Replica({
    db,
    dispatcher,
    secrets,
    clock: services.clock,
    installationId: installation,
    holdJobs: () => jobs.hold(),
    ...(options.syncLink ? { link: options.syncLink } : {}),
    invalidate: () => {
      invalidateRoles(db);
      invalidatePlaces(db);
    },
  });
  const retention = new RetentionSchedule(db, services.clock, () => dispatcher.runSystem('audit.prune', {}, 'retention'));
  const directory = new DirectorySchedule(db, services.clock, secrets, syncing, (input) =>
    dispatcher.runSystem('directory.syncScheduled', input, 'directory sync'),
  );
  const history = new HistorySchedule(db, services.clock, (name) => dispatcher.runSystem(name, {}, 'status history'));
  if (background) {
    directory.start();
    history.start();
    // A new retention setting applies at once, as its own command after the one that changed it.
    dispatcher.onCommitted((name) => {
      if (name === 'settings.update') {
        retention.runNow();
        history.pruneNow();
      }
    });
    retention.start();
    // A job a crash interrupted resumes (or rolls back) as soon as the data folder is open.
    jobs.recover();
  }
  const ready = background ? replica.start() : Promise.resolve();
  return {
    dataDir: options.dataDir,
    db,
    secrets,
    dispatcher,
    registry,
    jobs,
    directory,
    history,
    installationId: installation,
    replica,
    ready,
    reads,
    firstRun,
    close: () => {
      void reads?.close();
      void checkpointer?.close();
      replica.close();
      dispatcher.flushRefusals();
      retention.close();
      history.close();
      directory.close();
      jobs.close();
      db.close();
    },
  };
}
