import { addDevices, mixedSpecs } from './fleet';
import { tempSteward } from './temp-steward';
import { ROLE, World } from './world';

/**
 * Two customers under the provider, for tests that a client of one learns nothing of the
 * other: Acme with its Owner, an Admin, two Operators and a member who cannot hold devices (no
 * devices.view), Globex with its Owner and an Operator. Jobs run only when the test drains them.
 */
export function twoTenants(worlds: World[]) {
  const w = new World(tempSteward({ jobs: { autoStart: false, chunkSize: 10 } }));
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const globex = w.group(w.rootId, 'customer', 'Globex');
  // Every company with members has its Owner (R11).
  const acmeOwner = w.user('acme-owner', acme);
  const globexOwner = w.user('globex-owner', globex);
  w.bind(acmeOwner, ROLE.owner, acme);
  w.bind(globexOwner, ROLE.owner, globex);
  const admin = w.user('admin', acme);
  const operator = w.user('operator', acme);
  const operator2 = w.user('operator2', acme);
  const auditor = w.user('auditor', acme);
  const globexOperator = w.user('goperator', globex);
  w.bind(admin, ROLE.admin, acme);
  w.bind(operator, ROLE.operator, acme);
  w.bind(operator2, ROLE.operator, acme);
  w.bind(auditor, w.role(acme, ['groups.view', 'billing.view']), acme);
  w.bind(globexOperator, ROLE.operator, globex);
  const acmeDevices = addDevices(w, acme, mixedSpecs('acme', 12));
  const globexDevices = addDevices(w, globex, mixedSpecs('globex-secret', 3));
  return { w, acme, globex, acmeOwner, globexOwner, admin, operator, operator2, auditor, globexOperator, acmeDevices, globexDevices };
}

/** Every (device, member) pair, for "nothing changed" checks. */
export const allAssignments = (w: World) => w.steward.db.prepare('SELECT device_id, user_id FROM device_assignments ORDER BY 1, 2').all();
