import type { DeviceKind, DeviceStatus } from '../../shared/contract';
import type { GroupKind } from '../../shared/access/groups';
import type { Db } from '../db/connection';
import { linkNewGroup } from '../features/access/tree';

/**
 * Demo data that looks like a managed-service provider's: distributors, resellers and
 * their customers (with locations and departments), each company with its team, and a
 * fleet with believable names, systems, statuses and backup times, some of it assigned.
 * Deterministic for a given seed; written with prepared statements in one transaction.
 * Customers' Owners are not written here: an Owner comes only through the product's own
 * paths (R11), so the summary names each customer's intended Owner for `inviteOwners`.
 */

export interface DemoOptions {
  devices: number;
  /** End customers; by default one per 400 devices (at least 4). */
  customers?: number;
  /** Team members besides the customers’ Owners; by default one per 150 devices (at least 12). */
  users?: number;
  seed?: number;
  now: number;
  id: () => string;
}

/** Who is to own a customer: invited and, if accepted, created by `inviteOwners` (owners.ts). */
export interface DemoOwner {
  groupId: string;
  company: string;
  username: string;
  email: string;
  fullName: string;
}

export interface DemoSummary {
  groups: number;
  customers: number;
  /** Team members written (customers' Owners are not among them). */
  users: number;
  devices: number;
  assignments: number;
  owners: DemoOwner[];
}

/** mulberry32: small, fast and good enough to make demo data look varied. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

function pick<T>(random: () => number, table: Weighted<T>): T {
  const total = table.reduce((n, [, w]) => n + w, 0);
  let r = random() * total;
  for (const [value, weight] of table) {
    r -= weight;
    if (r < 0) return value;
  }
  return (table[table.length - 1] as readonly [T, number])[0];
}

const oneOf = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const KINDS: Weighted<DeviceKind> = [
  ['workstation', 70],
  ['server', 20],
  ['storage', 6],
  ['cloud_tenant', 4],
];
const OS: Record<DeviceKind, Weighted<string>> = {
  workstation: [
    ['Windows 11', 50],
    ['Windows 10', 25],
    ['macOS 14', 15],
    ['Ubuntu 22.04', 10],
  ],
  server: [
    ['Windows Server 2022', 35],
    ['Windows Server 2019', 20],
    ['Ubuntu 22.04', 20],
    ['Red Hat Enterprise Linux 9', 10],
    ['Debian 12', 10],
    ['VMware ESXi 8', 5],
  ],
  storage: [
    ['TrueNAS 13', 50],
    ['Synology DSM 7', 50],
  ],
  cloud_tenant: [
    ['Microsoft 365', 80],
    ['Google Workspace', 20],
  ],
};
const STATUSES: Weighted<DeviceStatus> = [
  ['ok', 78],
  ['warning', 9],
  ['failed', 5],
  ['offline', 5],
  ['never', 3],
];
const PREFIX: Record<DeviceKind, readonly string[]> = {
  workstation: ['LT', 'PC', 'WS', 'MAC'],
  server: ['SRV', 'DC', 'SQL', 'APP', 'FS'],
  storage: ['NAS', 'SAN'],
  cloud_tenant: ['M365', 'GWS'],
};

const COMPANY_WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Massive',
  'Dunder',
  'Pied Piper',
  'Aperture',
  'Black Mesa',
  'Oceanic',
  'Gringotts',
  'Monarch',
  'Nakatomi',
  'Virtucon',
  'Prestige',
  'Sterling',
  'Bluth',
  'Krusty',
  'Duff',
  'Zorg',
  'Ollivander',
  'Gekko',
  'Octan',
  'Spacely',
  'Cogswell',
  'Rekall',
];
const COMPANY_SUFFIX = ['GmbH', 'Ltd', 'Inc', 'AG', 'SA', 'BV', 'Oy', 'AB', 'LLC', 'SRL'];
const CITIES = [
  'Berlin',
  'Munich',
  'Hamburg',
  'Vienna',
  'Zurich',
  'Paris',
  'Lyon',
  'Madrid',
  'Milan',
  'Amsterdam',
  'Oslo',
  'Prague',
  'Warsaw',
  'Dublin',
  'Leeds',
];
const DEPARTMENTS = ['Finance', 'Engineering', 'Sales', 'HR', 'Operations', 'Legal', 'Marketing', 'Support'];
const FIRST = [
  'Anna',
  'Ben',
  'Chloe',
  'David',
  'Elif',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
  'Mia',
  'Noah',
  'Olga',
  'Paul',
  'Rosa',
  'Sven',
  'Tara',
  'Yusuf',
];
const LAST = [
  'Schmidt',
  'Müller',
  'Novak',
  'Rossi',
  'García',
  'Dubois',
  'Jansen',
  'Nilsen',
  'Kowalski',
  'Murphy',
  'Weber',
  'Costa',
  'Berg',
  'Horvat',
  'Lind',
];

interface Place {
  id: string;
  name: string;
  /** Short code used in device names (ACME-BER-LT-0042). */
  code: string;
}

interface Company extends Place {
  sites: Place[];
  members: string[];
}

/** A company's short code for device names and demo mail domains: its first letters. */
const code = (name: string) =>
  name
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 4)
    .toUpperCase() || 'CO';

/** The tree written by `generateTree`, and what the second phase needs to carry on deterministically. */
export interface DemoTree {
  customers: Company[];
  owners: DemoOwner[];
  groups: number;
  random: () => number;
  options: DemoOptions;
}

/**
 * Phase one: distributors, resellers and customers with their locations and departments,
 * in one transaction; names each customer's intended Owner. Nobody is written yet.
 */
export function generateTree(db: Db, rootId: string, options: DemoOptions): DemoTree {
  const random = prng(options.seed ?? 20240501);
  const customersWanted = options.customers ?? Math.max(4, Math.round(options.devices / 400));
  const now = options.now;
  const insertGroup = db.prepare(
    'INSERT INTO groups (id, parent_id, kind, name, seat_limit, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const tree: DemoTree = { customers: [], owners: [], groups: 0, random, options };
  const usedNames = new Set<string>();

  const group = (parentId: string, kind: GroupKind, name: string, seats: number | null = null): string => {
    const id = options.id();
    insertGroup.run(id, parentId, kind, name, seats, now, now);
    linkNewGroup(db, id, parentId);
    tree.groups++;
    return id;
  };
  const companyName = (n: number) => {
    for (let attempt = 0; ; attempt++) {
      const base = `${oneOf(random, COMPANY_WORDS)} ${oneOf(random, COMPANY_SUFFIX)}`;
      const name = attempt > 3 ? `${base} ${n}` : base;
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  };
  // Acme AB and Acme SRL both shorten to ACME; a digit keeps their device names apart.
  const usedCodes = new Set<string>();
  const uniqueCode = (name: string) => {
    const base = code(name);
    let candidate = base;
    for (let n = 2; usedCodes.has(candidate); n++) candidate = `${base}${n}`;
    usedCodes.add(candidate);
    return candidate;
  };

  db.transaction(() => {
    // Two distributors, each with resellers; customers spread over the resellers.
    const resellers: string[] = [];
    for (let d = 0; d < 2; d++) {
      const distributor = group(rootId, 'distributor', `${['Nordic', 'Alpine'][d]} IT Distribution`);
      const count = Math.max(1, Math.round(customersWanted / 12));
      for (let r = 0; r < count; r++) resellers.push(group(distributor, 'reseller', `${companyName(r)} Solutions`));
    }
    for (let c = 0; c < customersWanted; c++) {
      const name = companyName(c);
      const id = group(resellers[c % resellers.length] ?? rootId, 'customer', name, 25 + Math.floor(random() * 75));
      const sites: Place[] = [{ id, name, code: 'HQ' }];
      const cities = new Set<string>();
      const locations = 1 + Math.floor(random() * 3);
      while (cities.size < locations) cities.add(oneOf(random, CITIES));
      for (const city of cities) {
        const location = group(id, 'location', city);
        sites.push({ id: location, name: city, code: city.slice(0, 3).toUpperCase() });
        if (random() < 0.5) {
          const dept = oneOf(random, DEPARTMENTS);
          sites.push({ id: group(location, 'department', dept), name: dept, code: dept.slice(0, 3).toUpperCase() });
        }
      }
      tree.customers.push({ id, name, code: uniqueCode(name), sites, members: [] });
      const first = oneOf(random, FIRST);
      const last = oneOf(random, LAST);
      const username = asciiLogin(`${first}.${last}.owner${c}`);
      tree.owners.push({
        groupId: id,
        company: name,
        username,
        email: `${username}@${code(name).toLowerCase()}.example`,
        fullName: `${first} ${last}`,
      });
    }
  })();
  return tree;
}

/**
 * Phase two, in one transaction: the teams of the `staffed` customers (an Admin, then
 * Operators and Viewers until the team size is reached) and every customer's fleet, about a
 * third of each staffed fleet assigned. A customer has members only once its Owner has
 * joined (R11), so the caller staffs only those whose Owner has.
 */
export function generateTeamsAndFleet(db: Db, tree: DemoTree, staffed: ReadonlySet<string>): DemoSummary {
  const { random, options } = tree;
  const usersWanted = options.users ?? Math.max(12, Math.round(options.devices / 150));
  const now = options.now;
  const insertUser = db.prepare(
    `INSERT INTO users (id, username, email, full_name, company, home_group_id, kind, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'member', ?, ?, ?)`,
  );
  const bind = db.prepare('INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)');
  const insertDevice = db.prepare(
    `INSERT INTO devices (id, group_id, name, kind, os, status, last_backup_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const assign = db.prepare('INSERT OR IGNORE INTO device_assignments (device_id, user_id) VALUES (?, ?)');
  const summary: DemoSummary = {
    groups: tree.groups,
    customers: tree.customers.length,
    users: 0,
    devices: 0,
    assignments: 0,
    owners: tree.owners,
  };
  const customers = tree.customers;
  const teams = customers.filter((c) => staffed.has(c.id));

  withPageCache(db, options.devices, () => {
    let u = 0;
    const person = (homeId: string, company: string, roleId: string, scopeId: string) => {
      const first = oneOf(random, FIRST);
      const last = oneOf(random, LAST);
      const id = options.id();
      const username = asciiLogin(`${first}.${last}.${u++}`);
      const status = random() < 0.03 ? 'disabled' : 'active';
      insertUser.run(
        id,
        username,
        `${username}@${code(company).toLowerCase()}.example`,
        `${first} ${last}`,
        company,
        homeId,
        status,
        now,
        now,
      );
      bind.run(id, roleId, scopeId);
      summary.users++;
      return id;
    };
    for (const customer of teams) person(customer.id, customer.name, 'builtin-admin', customer.id);
    for (let i = 0; teams.length > 0 && summary.users < usersWanted; i++) {
      const customer = teams[i % teams.length] as Company;
      const site = oneOf(random, customer.sites);
      customer.members.push(person(site.id, customer.name, random() < 0.7 ? 'builtin-operator' : 'builtin-viewer', customer.id));
    }
    // The fleet: spread over customers unevenly (a few large ones), named by company, site and kind.
    const weights = customers.map(() => 0.2 + random() ** 3 * 4);
    const weightTotal = weights.reduce((a, b) => a + b, 0);
    const perCustomer = weights.map((w) => Math.floor((w / weightTotal) * options.devices));
    let rest = options.devices - perCustomer.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % perCustomer.length, rest--) perCustomer[i] = (perCustomer[i] ?? 0) + 1;
    customers.forEach((customer, ci) => {
      const counters = new Map<string, number>();
      for (let n = 0; n < (perCustomer[ci] ?? 0); n++) {
        const kind = pick(random, KINDS);
        const site = oneOf(random, customer.sites);
        const prefix = oneOf(random, PREFIX[kind]);
        const key = `${customer.code}-${site.code}-${prefix}`; // per code, not per site: two Marketing departments share MAR
        const seq = (counters.get(key) ?? 0) + 1;
        counters.set(key, seq);
        const name = `${customer.code}-${site.code}-${prefix}-${String(seq).padStart(4, '0')}`;
        const status = pick(random, STATUSES);
        const hoursAgo = status === 'ok' ? random() * 30 : status === 'warning' ? 24 + random() * 72 : 48 + random() * 24 * 30;
        const lastBackup = status === 'never' ? null : Math.round(now - hoursAgo * 3_600_000);
        const id = options.id();
        insertDevice.run(id, site.id, name, kind, pick(random, OS[kind]), status, lastBackup, now, now);
        summary.devices++;
        // About a third of each fleet is assigned to one or two of the company's members.
        if (customer.members.length > 0 && random() < 0.35) {
          summary.assignments += assign.run(id, oneOf(random, customer.members)).changes;
          if (random() < 0.15) summary.assignments += assign.run(id, oneOf(random, customer.members)).changes;
        }
      }
    });
  });
  return summary;
}

/**
 * Runs `fn` in one transaction with SQLite's page cache sized to the fleet (about 1 KiB a
 * device, at least the default): a fleet's rows go into a dozen indexes in an order none of
 * them is sorted by, and with the default 16 MB cache each insert past a few hundred thousand
 * devices would read back pages it pushed out, so the time would grow faster than the fleet.
 * The cache goes back to what it was afterwards, and the WAL is checkpointed and truncated.
 */
function withPageCache(db: Db, devices: number, fn: () => void): void {
  const before = db.pragma('cache_size', { simple: true }) as number;
  const kib = Math.max(devices, 16_000);
  db.pragma(`cache_size = ${-kib}`);
  try {
    db.transaction(fn)();
  } finally {
    db.pragma(`cache_size = ${before}`);
  }
  // The transaction wrote about the database's size to the WAL (1.7 GB at 1,000,000 devices). Until the WAL starts
  // over, every read looks there first: at 100,000 devices the tree took 4.3 ms instead of 2.7 and a 10% job 609 ms
  // instead of 525, until a restart. Copied back and emptied now, as closing would.
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * Both phases with every customer staffed, for measurements that need a populated fleet and
 * no product paths (the benchmarks): its customers have members and no Owner, a state the
 * console itself never produces, so it is not for data a person will use (`npm run demo`).
 */
export function generateFleetForBench(db: Db, rootId: string, options: DemoOptions): DemoSummary {
  const tree = generateTree(db, rootId, options);
  return generateTeamsAndFleet(db, tree, new Set(tree.customers.map((c) => c.id)));
}

/** German spellings people use when a letter cannot be typed; other accents are dropped from the letter, not the letter dropped. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  æ: 'ae',
  ø: 'oe',
  å: 'aa',
  ł: 'l',
  đ: 'd',
};

/**
 * A person's name as a login (usernames are ASCII letters, digits, dot, dash and underscore):
 * "Chloé Müller" → "chloe.mueller", never "chlo.mller" (issue 16).
 */
export function asciiLogin(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äöüßæøåłđ]/g, (c) => TRANSLITERATIONS[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9.]/g, '');
}
