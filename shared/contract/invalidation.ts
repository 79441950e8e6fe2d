/**
 * Which answers each command may change, declared once next to the contract (issue 15). The
 * renderer's cache (renderer/src/data) fetches these queries again after the command succeeds,
 * whoever called it; no screen passes "something changed" counters around.
 *
 * Every command a person can call is listed (a unit test walks the contract); `session`
 * means the command changes who is signed in, so every cached answer is dropped. Each
 * command also writes an audit event, so the audit queries are invalidated for all of them
 * without being listed.
 */

/** What each query answers depends on; the sets below are unions of these. */
const ACCESS = ['access.mine', 'access.decide', 'access.effective', 'access.explain', 'access.whoCan', 'access.hygiene'] as const;
const PEOPLE = ['users.list', 'users.facets', 'users.get'] as const;
const GROUPS = ['groups.tree', 'groups.get'] as const;
const ROLES = ['roles.list', 'roles.get', 'roles.preview', 'roles.templates'] as const;
const DEVICES = [
  'devices.statusHistory',
  'dashboard.history',
  'devices.list',
  'devices.facets',
  'devices.get',
  'devices.jobs',
  'devices.jobGet',
  'devices.jobResults',
  'devices.bulkPlan',
] as const;

/** The dashboard lists the latest audit events and counts people, devices and invitations: every command may change it. */
export const AUDIT_QUERIES = ['audit.list', 'audit.verify', 'dashboard.summary'] as const;

export type Invalidation = 'session' | readonly string[];

export const INVALIDATES: Readonly<Record<string, Invalidation>> = {
  'auth.setup': 'session',
  'auth.signIn': 'session',
  'auth.verifyCode': 'session',
  'auth.confirmEnrollment': 'session',
  'auth.signOut': 'session',
  'invitations.accept': 'session',
  'auth.beginEnrollment': ['auth.status'],
  'auth.changePassword': ['auth.status', ...PEOPLE],
  'auth.regenerateRecoveryCodes': PEOPLE,
  'audit.export': [],
  'devices.export': [],
  'devices.import': [...DEVICES, ...GROUPS, ...PEOPLE, ...ACCESS],
  'devices.assign': [...DEVICES, ...PEOPLE, ...ACCESS],
  'devices.unassign': [...DEVICES, ...PEOPLE, ...ACCESS],
  'devices.bulkAssign': [...DEVICES, ...PEOPLE, ...ACCESS],
  'devices.jobCancel': [...DEVICES, ...PEOPLE, ...ACCESS],
  'devices.jobUndo': [...DEVICES, ...PEOPLE, ...ACCESS],
  // Groups carry names, counts and branding shown everywhere: a change reaches lists of people, roles and devices too.
  'groups.create': [...GROUPS, ...ACCESS, ...ROLES, 'invitations.list'],
  'groups.update': [...GROUPS, ...ACCESS, ...PEOPLE, ...ROLES, ...DEVICES, 'auth.status'],
  'groups.move': [...GROUPS, ...ACCESS, ...PEOPLE, ...ROLES, ...DEVICES],
  'groups.remove': [...GROUPS, ...ACCESS, ...PEOPLE, ...ROLES, ...DEVICES, 'invitations.list'],
  'invitations.create': ['invitations.list', 'access.hygiene'],
  'invitations.resend': ['invitations.list', 'access.hygiene'],
  'invitations.revoke': ['invitations.list', 'access.hygiene'],
  'ownership.assign': [...PEOPLE, ...ACCESS, ...ROLES, 'invitations.list'],
  'ownership.transfer': [...PEOPLE, ...ACCESS, ...ROLES, 'invitations.list'],
  'roles.create': [...ROLES, ...ACCESS],
  'roles.update': [...ROLES, ...ACCESS, ...PEOPLE, ...DEVICES],
  'roles.revert': [...ROLES, ...ACCESS, ...PEOPLE, ...DEVICES],
  'roles.remove': [...ROLES, ...ACCESS, ...PEOPLE],
  'settings.update': ['settings.get', 'auth.status', 'devices.statusHistory', 'dashboard.history'],
  // A device's "Who sees it" names people by their roles and status (devices.get).
  'users.create': [...PEOPLE, ...ACCESS, ...ROLES, ...GROUPS, 'devices.get'],
  'users.update': [...PEOPLE, ...ACCESS, ...GROUPS, ...DEVICES],
  'users.setStatus': [...PEOPLE, ...ACCESS, 'devices.get'],
  'users.setRoles': [...PEOPLE, ...ACCESS, ...ROLES, ...DEVICES],
  'users.setDepartments': [...PEOPLE, ...ACCESS, ...DEVICES],
  'users.resetPassword': [...PEOPLE, 'access.hygiene'],
  'users.resetMfa': [...PEOPLE, 'access.hygiene'],
  'users.remove': [...PEOPLE, ...ACCESS, ...ROLES, ...GROUPS, ...DEVICES],
  'users.updatePreferences': PEOPLE,
  'users.signOutEverywhere': ['users.sessions', ...PEOPLE, 'access.hygiene'],
  // A replica's link to its hub: connecting signs the person in; the rest change what the replica holds or shows.
  'sync.connect': 'session',
  'sync.setOffline': ['sync.status', 'sync.issues'],
  'sync.now': 'session',
  'sync.dismiss': ['sync.status', 'sync.issues'],
  // Single sign-on and directory departments (issue 14).
  'sso.configure': ['sso.get', 'sso.preview', 'auth.ssoOptions'],
  'sso.remove': ['sso.get', 'sso.preview', 'auth.ssoOptions'],
  'auth.ssoBegin': [],
  'auth.ssoComplete': 'session',
  // Turning the sync on or off locks or frees its departments (GroupSummary.synced, GroupDetail.can).
  'directory.configure': ['directory.get', ...GROUPS],
  'directory.syncNow': ['directory.get', ...GROUPS, ...PEOPLE, ...ACCESS],
  // Saved filters (issue 15): a person's own list of them.
  'filters.save': ['filters.list'],
  'filters.remove': ['filters.list'],
};
