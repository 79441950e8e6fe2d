import { HYGIENE_READ_KEYS } from './access/hygiene';
import { AUDIT_READ_KEYS } from './audit/query';
import { DASHBOARD_READ_KEYS } from './dashboard/handlers';
import { DEVICE_READ_KEYS } from './devices/read';
import { GROUP_READ_KEYS } from './groups/read';
import { ROLE_READ_KEYS } from './roles/records';

/**
 * Keys Steward checks outside the operations' declared rules: the filters of lists and
 * the parts or actions a read shows by permission. With the rules' own keys they are
 * every key the console enforces; test/unit/catalog-coverage.test.ts holds the catalog
 * to them, so no key of the console guards nothing.
 */
export const READ_KEYS: Readonly<Record<string, readonly string[]>> = {
  groups: Object.values(GROUP_READ_KEYS),
  devices: DEVICE_READ_KEYS,
  audit: AUDIT_READ_KEYS,
  roles: ROLE_READ_KEYS,
  hygiene: HYGIENE_READ_KEYS,
  dashboard: DASHBOARD_READ_KEYS,
  // A person's devices are counted by devices.view in users.get.
  users: ['devices.view'],
};
