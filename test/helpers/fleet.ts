import type { DeviceKind, DeviceStatus } from '../../shared/contract';
import { member } from './people';
import { ROLE, World } from './world';

export interface DeviceSpec {
  name: string;
  kind?: DeviceKind;
  os?: string;
  status?: DeviceStatus;
  lastBackupAt?: number | null;
}

let counter = 0;

/** Devices with every column set, straight into the database (as an import would leave them). */
export function addDevices(w: World, groupId: string, specs: readonly DeviceSpec[]): string[] {
  const insert = w.steward.db.prepare(
    `INSERT INTO devices (id, group_id, name, kind, os, status, last_backup_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)`,
  );
  return w.steward.db.transaction(() =>
    specs.map((s) => {
      const id = `dev-${++counter}`;
      insert.run(id, groupId, s.name, s.kind ?? 'workstation', s.os ?? 'Windows 11', s.status ?? 'ok', s.lastBackupAt ?? null);
      return id;
    }),
  )();
}

const OS = ['Windows 11', 'Windows Server 2022', 'Ubuntu 22.04', 'macOS 14'];
const STATUS: DeviceStatus[] = ['ok', 'warning', 'failed', 'offline', 'never'];
const KINDS: DeviceKind[] = ['workstation', 'server', 'storage', 'cloud_tenant'];

/** A deterministic mix of kinds, systems, statuses and backup times. */
export function mixedSpecs(prefix: string, count: number): DeviceSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const status = STATUS[i % STATUS.length] ?? 'ok';
    return {
      name: `${prefix}-${String(i).padStart(3, '0')}`,
      kind: KINDS[(i * 7) % KINDS.length] ?? 'workstation',
      os: OS[(i * 3) % OS.length] ?? 'Windows 11',
      status,
      lastBackupAt: status === 'never' ? null : 1_700_000_000_000 + ((i * 7919) % 97) * 3_600_000,
    };
  });
}

/**
 * Seed 000's company: an Owner, an Admin, two Operators and a Viewer at customer Acme
 * (with a location), a second customer Globex with its own Admin, and fleets in each.
 */
export function seedCompany() {
  const w = new World();
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const berlin = w.group(acme, 'location', 'Berlin');
  const globex = w.group(w.rootId, 'customer', 'Globex');
  const people = {
    owner: member(w, 'owner', acme, ROLE.owner),
    admin: member(w, 'admin', acme, ROLE.admin),
    operator: member(w, 'operator', acme, ROLE.operator),
    operator2: member(w, 'operator2', acme, ROLE.operator),
    viewer: member(w, 'viewer', acme, ROLE.viewer),
    globexAdmin: member(w, 'gadmin', globex, ROLE.admin),
    globexOperator: member(w, 'goperator', globex, ROLE.operator),
  };
  const acmeDevices = addDevices(w, acme, mixedSpecs('acme', 40));
  const berlinDevices = addDevices(w, berlin, mixedSpecs('berlin', 20));
  const globexDevices = addDevices(w, globex, mixedSpecs('globex', 10));
  return { w, acme, berlin, globex, people, acmeDevices, berlinDevices, globexDevices };
}
