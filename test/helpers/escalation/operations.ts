import fc from 'fast-check';
import { PERMISSION_KEYS } from '../../../shared/access/catalog';
import { GROUP_KINDS } from '../../../shared/access/groups';
import { NOTIFICATION_TOPICS, type OperationName } from '../../../shared/contract';
import { ROLE } from '../world';
import { CORE_KEYS, WORLD_PASSWORD, type BuiltWorld } from './world';

/** How an operation is called: with the actor's session at a stage, or with no session (the invitee's side). */
export type Caller = 'active' | 'mfa' | 'public';

/** One drawn call: the operation, fast-check's raw draw (shrinks), and how to turn it into input against a built world. */
export interface Call {
  name: OperationName;
  caller: Caller;
  args: unknown;
  input(b: BuiltWorld, actorId: string, code: string): unknown;
}

interface Spec<A> {
  caller?: Caller;
  args: fc.Arbitrary<A>;
  input(b: BuiltWorld, a: A, actorId: string, code: string): unknown;
}

const at = <T>(list: readonly T[], i: number, fallback: T): T => list[i % Math.max(list.length, 1)] ?? fallback;
const user = (b: BuiltWorld, i: number) => at(b.users, i, { id: 'no-such-user', username: '' }).id;
const group = (b: BuiltWorld, i: number) => at(b.groups, i, { id: 'no-such-group', name: '', kind: 'provider', parentId: null }).id;
const device = (b: BuiltWorld, i: number) => at(b.devices, i, { id: 'no-such-device', name: '' }).id;
const invitation = (b: BuiltWorld, i: number) => at(b.invitations, i, { id: 'no-such-invitation', token: 'no-such-invitation-token' });
/** Roles to grant: every role of the world and the Owner role (one per company is for the product to keep). */
const grantRole = (b: BuiltWorld, i: number) => at([...b.roles.map((r) => r.id), ROLE.owner], i, ROLE.viewer);
const customRole = (b: BuiltWorld, i: number) => at(b.roles.slice(3), i, { id: 'no-such-role', name: '', versions: 1 }).id;
const anyRole = (b: BuiltWorld, i: number) => at([...b.roles.map((r) => r.id), ROLE.owner], i, ROLE.viewer);
const departments = (b: BuiltWorld) => b.groups.filter((g) => g.kind === 'department');

const idx = fc.nat({ max: 30 });
const bindingArgs = fc.array(fc.record({ role: idx, group: idx }), { maxLength: 3 });
const bindingsFrom = (b: BuiltWorld, list: Array<{ role: number; group: number }>) =>
  list.map((x) => ({ roleId: grantRole(b, x.role), groupId: group(b, x.group) }));
const keys = fc
  .tuple(fc.subarray(CORE_KEYS), fc.subarray([...PERMISSION_KEYS], { maxLength: 3 }))
  .map(([a, c]) => [...new Set([...a, ...c])]);
const childKind = fc.constantFrom(...GROUP_KINDS.filter((k) => k !== 'provider'));
const deviceIds = fc.array(idx, { minLength: 1, maxLength: 3 });
const userIds = fc.array(idx, { minLength: 1, maxLength: 2 });
const uniq = (ids: string[]) => [...new Set(ids)];

function spec<A>(s: Spec<A>) {
  return (name: OperationName): fc.Arbitrary<Call> =>
    s.args.map((args) => ({
      name,
      caller: s.caller ?? 'active',
      args,
      input: (b: BuiltWorld, actorId: string, code: string) => s.input(b, args, actorId, code),
    }));
}

/**
 * Every command of the contract with a generator of well-typed input whose ids come from
 * the world, so most calls reach the authorization logic.
 */
export const COVERED: Partial<Record<OperationName, (name: OperationName) => fc.Arbitrary<Call>>> = {
  'auth.signIn': spec({
    caller: 'public',
    args: fc.constant(null),
    input: (b, _a, actorId) => ({ login: b.users.find((u) => u.id === actorId)?.username, password: WORLD_PASSWORD }),
  }),
  'auth.verifyCode': spec({ caller: 'mfa', args: fc.constant(null), input: (_b, _a, _actor, code) => ({ code }) }),
  'auth.beginEnrollment': spec({ args: fc.constant(null), input: () => ({}) }),
  'auth.regenerateRecoveryCodes': spec({ args: fc.constant(null), input: (_b, _a, _actor, code) => ({ code }) }),
  'auth.signOut': spec({ args: fc.constant(null), input: () => ({}) }),
  'auth.changePassword': spec({
    args: fc.constant(null),
    input: () => ({ currentPassword: WORLD_PASSWORD, newPassword: 'a different long passphrase 77' }),
  }),
  'audit.export': spec({ args: fc.constantFrom('csv', 'jsonl'), input: (_b, format) => ({ format }) }),
  'settings.update': spec({
    args: fc.record({
      idle: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
      expiry: fc.option(fc.integer({ min: 1, max: 72 }), { nil: undefined }),
    }),
    // Every update is made from the current copy (baseVersion): staleness is not what this property looks for.
    input: (b, a) => ({
      baseVersion: b.w.version('settings'),
      ...(a.idle ? { idleTimeoutMinutes: a.idle } : {}),
      ...(a.expiry ? { invitationExpiryHours: a.expiry } : {}),
    }),
  }),
  'users.updatePreferences': spec({
    args: fc.array(fc.boolean(), { minLength: NOTIFICATION_TOPICS.length, maxLength: NOTIFICATION_TOPICS.length }),
    input: (_b, flags) => ({ notifications: Object.fromEntries(NOTIFICATION_TOPICS.map((t, i) => [t, flags[i] ?? false])) }),
  }),
  'groups.create': spec({
    args: fc.record({ parent: idx, kind: childKind, n: fc.nat({ max: 9 }) }),
    input: (b, a) => ({ parentId: group(b, a.parent), kind: a.kind, name: `new-group-${a.n}` }),
  }),
  'groups.update': spec({
    args: fc.record({
      id: idx,
      kind: fc.option(childKind, { nil: undefined }),
      rename: fc.boolean(),
      seats: fc.option(fc.nat({ max: 5 }), { nil: undefined }),
    }),
    input: (b, a) => ({
      id: group(b, a.id),
      baseVersion: b.w.version('group', group(b, a.id)),
      ...(a.kind ? { kind: a.kind } : {}),
      ...(a.rename ? { name: 'renamed' } : {}),
      ...(a.seats === undefined ? {} : { seatLimit: a.seats }),
    }),
  }),
  'groups.move': spec({
    args: fc.record({ id: idx, parent: idx }),
    input: (b, a) => ({ id: group(b, a.id), parentId: group(b, a.parent) }),
  }),
  'groups.remove': spec({ args: idx, input: (b, i) => ({ id: group(b, i) }) }),
  'roles.create': spec({
    args: fc.record({
      owner: idx,
      keys,
      assigned: fc.boolean(),
      scopeKind: fc.constantFrom<'location' | 'department' | null>(null, 'location', 'department'),
    }),
    input: (b, a) => ({
      ownerGroupId: group(b, a.owner),
      name: 'new-role',
      deviceVisibility: a.assigned ? 'assigned' : 'scope',
      permissions: a.keys,
      scopeKind: a.scopeKind,
    }),
  }),
  'roles.update': spec({
    args: fc.record({
      id: idx,
      keys: fc.option(keys, { nil: undefined }),
      visibility: fc.option(fc.constantFrom('scope', 'assigned'), { nil: undefined }),
      scopeKind: fc.option(fc.constantFrom<'location' | 'department' | null>(null, 'location', 'department'), { nil: undefined }),
    }),
    input: (b, a) => ({
      id: anyRole(b, a.id),
      baseVersion: b.w.version('role', anyRole(b, a.id)),
      ...(a.keys ? { permissions: a.keys } : {}),
      ...(a.visibility ? { deviceVisibility: a.visibility } : {}),
      ...(a.scopeKind === undefined ? {} : { scopeKind: a.scopeKind }),
    }),
  }),
  'roles.revert': spec({
    args: fc.record({ id: idx, version: fc.integer({ min: 1, max: 2 }) }),
    input: (b, a) => ({ id: customRole(b, a.id), version: a.version, baseVersion: b.w.version('role', customRole(b, a.id)) }),
  }),
  'roles.remove': spec({ args: idx, input: (b, i) => ({ id: anyRole(b, i) }) }),
  'users.create': spec({
    args: fc.record({ home: idx, external: fc.boolean(), bindings: bindingArgs, devices: fc.array(idx, { maxLength: 3 }) }),
    input: (b, a) => ({
      username: 'created-user',
      email: 'created@example.test',
      fullName: 'Created User',
      homeGroupId: group(b, a.home),
      kind: a.external ? 'external' : 'member',
      bindings: bindingsFrom(b, a.bindings),
      ...(a.devices.length > 0 ? { deviceIds: uniq(a.devices.map((d) => device(b, d))) } : {}),
    }),
  }),
  'users.update': spec({
    args: fc.record({ id: idx, field: fc.constantFrom('username', 'email', 'fullName') }),
    input: (b, a) => ({
      id: user(b, a.id),
      baseVersion: b.w.version('user', user(b, a.id)),
      ...(a.field === 'username'
        ? { username: 'renamed-user' }
        : a.field === 'email'
          ? { email: 'renamed@example.test' }
          : { fullName: 'Renamed' }),
    }),
  }),
  'users.setRoles': spec({
    args: fc.record({ id: idx, bindings: bindingArgs }),
    input: (b, a) => ({ userId: user(b, a.id), baseVersion: b.w.version('user', user(b, a.id)), bindings: bindingsFrom(b, a.bindings) }),
  }),
  'users.setDepartments': spec({
    args: fc.record({ id: idx, departments: fc.array(idx, { maxLength: 2 }) }),
    input: (b, a) => ({
      userId: user(b, a.id),
      baseVersion: b.w.version('user', user(b, a.id)),
      departmentIds: uniq(a.departments.map((d) => departments(b)[d % Math.max(departments(b).length, 1)]?.id ?? group(b, d))),
    }),
  }),
  'users.setStatus': spec({
    args: fc.record({ id: idx, active: fc.boolean() }),
    input: (b, a) => ({ id: user(b, a.id), status: a.active ? 'active' : 'disabled' }),
  }),
  'users.resetPassword': spec({ args: idx, input: (b, i) => ({ id: user(b, i) }) }),
  'users.resetMfa': spec({ args: idx, input: (b, i) => ({ id: user(b, i) }) }),
  'users.remove': spec({
    args: fc.record({ id: idx, to: fc.option(idx, { nil: undefined }) }),
    input: (b, a) => ({ id: user(b, a.id), ...(a.to === undefined ? {} : { reassignDevicesTo: user(b, a.to) }) }),
  }),
  'ownership.transfer': spec({
    args: fc.record({ company: idx, to: idx }),
    input: (b, a, _actor, code) => ({
      companyId: at([b.groups[0], ...b.companies], a.company, b.groups[0])?.id,
      toUserId: user(b, a.to),
      code,
    }),
  }),
  'ownership.assign': spec({
    args: fc.record({ company: idx, to: idx }),
    input: (b, a, _actor, code) => ({
      companyId: at([b.groups[0], ...b.companies], a.company, b.groups[0])?.id,
      toUserId: user(b, a.to),
      code,
    }),
  }),
  'invitations.create': spec({
    args: fc.record({ role: idx, group: idx, external: fc.boolean() }),
    input: (b, a) => ({
      email: 'invited@example.test',
      roleId: grantRole(b, a.role),
      groupId: group(b, a.group),
      ...(a.external ? { kind: 'external', acceptTerms: true } : {}),
    }),
  }),
  'invitations.resend': spec({
    args: idx,
    input: (b, i) => ({ id: invitation(b, i).id, baseVersion: b.w.version('invitation', invitation(b, i).id) }),
  }),
  'invitations.revoke': spec({ args: idx, input: (b, i) => ({ id: invitation(b, i).id }) }),
  'invitations.accept': spec({
    caller: 'public',
    args: idx,
    input: (b, i) => ({ token: invitation(b, i).token, username: 'accepted-user', fullName: 'Accepted User', password: WORLD_PASSWORD }),
  }),
  'devices.import': spec({
    args: fc.record({ group: idx, kind: fc.constantFrom('workstation', 'server') }),
    input: (b, a) => ({
      format: 'json',
      mode: 'all-or-nothing',
      content: JSON.stringify([
        { name: 'imported-device', kind: a.kind, os: 'Linux', status: 'ok', lastBackupAt: '', group: group(b, a.group) },
      ]),
    }),
  }),
  'devices.export': spec({ args: fc.constantFrom('csv', 'json'), input: (_b, format) => ({ format }) }),
  'devices.assign': spec({
    args: fc.record({ devices: deviceIds, users: userIds }),
    input: (b, a) => ({ deviceIds: uniq(a.devices.map((d) => device(b, d))), userIds: uniq(a.users.map((u) => user(b, u))) }),
  }),
  'devices.unassign': spec({
    args: fc.record({ devices: deviceIds, users: userIds }),
    input: (b, a) => ({ deviceIds: uniq(a.devices.map((d) => device(b, d))), userIds: uniq(a.users.map((u) => user(b, u))) }),
  }),
  'devices.bulkAssign': spec({
    args: fc.record({ devices: fc.option(deviceIds, { nil: null }), users: userIds, unassign: fc.boolean() }),
    input: (b, a) => ({
      selection: a.devices ? { deviceIds: uniq(a.devices.map((d) => device(b, d))) } : { filter: {} },
      userIds: uniq(a.users.map((u) => user(b, u))),
      action: a.unassign ? 'unassign' : 'assign',
    }),
  }),
  'devices.jobCancel': spec({ args: fc.constant(null), input: (b) => ({ jobId: b.jobId ?? 'no-such-job' }) }),
  'devices.jobUndo': spec({ args: fc.constant(null), input: (b) => ({ jobId: b.jobId ?? 'no-such-job' }) }),
};

/**
 * Commands left out, each with why it cannot change anyone's (permission, target) pairs
 * in a way this property can observe.
 */
export const NOT_COVERED: Partial<Record<OperationName, string>> = {
  // Steward's own work: no session reaches it (command-envelope.test.ts), so no person can draw it.
  'devices.jobStep':
    "a job's chunk, run by the job runner as a system actor on the starter's rights as they are now; devices.bulkAssign (drawn) starts the jobs whose chunks this property then drains",
  'devices.jobRecover': 'settles jobs after a restart as a system actor; it rolls back what lost its authority and grants nothing',
  'devices.jobFail': 'ends a job whose chunk failed inside Steward; it changes no binding or assignment',
  'audit.prune': 'audit retention as a system actor; it removes old audit events only',
  'history.snapshot': 'the daily status snapshot as a system actor; it records device counts only',
  'history.prune': 'status history retention as a system actor; it removes old status history only',
  'auth.setup': 'creates the provider root and its first Owner; refused once a root exists, and every world has one',
  'auth.confirmEnrollment':
    "sets the caller's own authenticator from a key its own beginEnrollment (covered) returned; no binding or assignment changes",
  // A replica's link to its hub: the hub re-runs every pushed command under full authorization (outsider-13, sync-offline tests).
  'sync.connect':
    'connects this installation to a hub with the hub’s own sign-in; it writes only the replica’s sync state and a session for the person the hub signed in',
  'sync.setOffline': "turns the replica's contact with its hub on or off; no binding or assignment changes",
  'sync.now': 'pushes and pulls; every pushed command is re-run by the hub under the person’s current rights',
  'sync.dismiss': "hides one of the caller's own sync issues; no binding or assignment changes",
  // Single sign-on: prepare reaches the company's OpenID provider (discovery, code exchange), which a random world has not.
  'sso.configure':
    "sets how a company's people sign in (provider, domains, enforcement); it changes no binding or assignment (sso-config.test.ts)",
  'sso.remove': "removes a company's provider; it changes no binding or assignment",
  'directory.configure': "sets a company's directory connection; it changes no binding or assignment",
  'directory.syncNow':
    "reads the company's LDAP directory (prepare), which a random world has not; it sets department memberships of the company's own people (directory-sync.test.ts)",
  'directory.syncScheduled': 'the weekly run as a system actor, held to the rights of whoever turned the sync on',
  'auth.ssoBegin': 'records a started sign-in (state, nonce, verifier); no person, binding or assignment changes',
  'auth.ssoComplete':
    'signs in the person an identity is linked to (or links it by verified email, never creating anyone); no binding or assignment changes (sso-sign-in.test.ts)',
  'users.signOutEverywhere':
    "ends a person's sessions (users-sessions.test.ts holds it to users.edit and dominance); no binding or assignment changes",
  // Saved filters (issue 15): a person's own list of filters of two screens.
  'filters.save': "stores a filter in the caller's own list; no binding or assignment changes (saved-filters.test.ts)",
  'filters.remove': "removes a filter from the caller's own list; no binding or assignment changes",
};
