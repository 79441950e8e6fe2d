import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openSteward } from '../app';
import { refreshStatistics } from '../db/connection';
import { lockDataFolder } from '../data-lock';
import { hasAccounts } from '../features/auth/accounts';
import { rootGroup } from '../features/access/tree';
import { SessionStore } from '../features/auth/sessions';
import { startupMessage } from '../startup-errors';
import { generateTeamsAndFleet, generateTree } from './fleet';
import { inviteOwners } from './owners';

/** Customers whose Owner joins by default; each joining costs one password hash (scrypt, a fraction of a second). */
const JOINED_OWNERS = 10;

const USAGE = `Usage: npm run demo -- --data DIR [--devices N] [--customers N] [--users N] [--owners N] [--seed N] [--password P]
Creates a provider tree and a device fleet in a new data folder, with its Owner set up (user
"owner"). Every customer is sent an Owner invitation; the first --owners of them (default
${JOINED_OWNERS}) accept theirs with the same password and get a team, the others are still
onboarding. Open it with: npm run web -- --data DIR`;

/** Mistakes in the arguments or the folder are said in a line; anything else keeps its stack. */
class DemoError extends Error {}

function count(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new DemoError(`--${name} must be a whole number from 0 to 1,000,000`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      devices: { type: 'string' },
      customers: { type: 'string' },
      users: { type: 'string' },
      owners: { type: 'string' },
      seed: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.data) {
    process.stdout.write(`${USAGE}\n`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const devices = count(values.devices, 'devices', 10_000) ?? 10_000;
  const customers = count(values.customers, 'customers');
  const users = count(values.users, 'users');
  const joined = count(values.owners, 'owners', JOINED_OWNERS) ?? JOINED_OWNERS;
  const seed = count(values.seed, 'seed');
  const lock = lockDataFolder(values.data, 'demo generator');
  const steward = openSteward({ dataDir: values.data });
  try {
    if (hasAccounts(steward.db)) throw new DemoError(`${values.data} is already set up; the demo needs a new, empty data folder`);
    const password = values.password ?? `demo-${randomWords()}`;
    // The Owner is created through the real first-run operation, so the folder is exactly as setup leaves it.
    const setup = await steward.dispatcher.dispatch(
      'auth.setup',
      {
        rootGroupName: 'Northwind Backup Services',
        username: 'owner',
        email: 'owner@northwind.example',
        fullName: 'Olivia Owner',
        password,
      },
      { token: null, client: 'cli' },
    );
    if (!setup.result.ok) throw new DemoError(`setup refused: ${setup.result.error.message}`);
    const root = rootGroup(steward.db);
    if (!root) throw new Error('setup left no provider group');
    const started = performance.now();
    const tree = generateTree(steward.db, root.id, {
      devices,
      ...(customers === undefined ? {} : { customers }),
      ...(users === undefined ? {} : { users }),
      ...(seed === undefined ? {} : { seed }),
      now: Date.now(),
      id: () => crypto.randomUUID(),
    });
    const provider = (setup.result.value as { user: { id: string } }).user.id;
    // Customers' Owners come through the product's own paths (R11): invitations sent by the provider's Owner. This
    // process holds the data folder, so it acts for that Owner with a session of its own, ended before it exits;
    // the Owner still enrolls an authenticator at the first sign-in.
    const token = `demo-${randomWords()}`;
    new SessionStore(steward.db).create(token, provider, 'active', 'cli', Date.now());
    const owners = await inviteOwners(steward.dispatcher, token, tree.owners, { accept: joined, password }).finally(() => {
      // The accepted Owners' enrollment sessions too: they sign in like anyone else.
      steward.db.prepare('DELETE FROM sessions').run();
    });
    // A company takes members once its Owner has joined (R11): only those customers get a team.
    const summary = generateTeamsAndFleet(steward.db, tree, new Set(owners.accepted.map((o) => o.groupId)));
    // Every table just grew from nothing: the planner's statistics for all of them.
    refreshStatistics(steward.db, 'open');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      [
        `Demo data written to ${values.data} in ${seconds} s:`,
        `  ${summary.groups.toLocaleString('en')} groups (${summary.customers.toLocaleString('en')} customers), ` +
          `${summary.users.toLocaleString('en')} team members, ${summary.devices.toLocaleString('en')} devices, ` +
          `${summary.assignments.toLocaleString('en')} assignments`,
        `  ${owners.invited.toLocaleString('en')} customers sent an Owner invitation; ${owners.accepted.length.toLocaleString('en')} ` +
          `Owners joined and have a team, the other customers are still onboarding. Customer Owners: ` +
          owners.accepted
            .slice(0, 5)
            .map((o) => `"${o.username}" (${o.company})`)
            .join(', ') +
          (owners.accepted.length > 5 ? ` and ${owners.accepted.length - 5} more` : ''),
        '',
        `Start the console:  npm run web -- --data ${values.data}`,
        values.password
          ? 'Sign in as "owner", or as a customer Owner named above, with the password you gave'
          : `Sign in as "owner", or as a customer Owner named above, with the password: ${password}`,
        'and set up your authenticator app when asked (every account uses MFA).',
        '',
      ].join('\n'),
    );
  } finally {
    steward.close();
    lock.release();
  }
}

/** A password the common-password list cannot contain, readable enough to type once. */
function randomWords(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Buffer.from(bytes).toString('base64url');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof DemoError ? error.message : startupMessage(error)}\n`);
  process.exit(1);
});
