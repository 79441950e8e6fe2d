import { newEnforcer, newModelFromString, Util } from 'casbin';
import { BUILTIN_ROLES } from '../shared/access/builtin-roles';
import { PERMISSIONS } from '../shared/access/catalog';
import { decide, type Binding, type RoleGrant } from '../shared/access/decide';
import type { GroupKind } from '../shared/access/groups';
import { MODULES } from '../shared/access/modules';
import { measure, report } from './measure';

/** A deterministic generator, so every run asks the same questions. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Tree {
  ids: string[];
  paths: Map<string, string[]>;
  kinds: Map<string, GroupKind>;
  /** Materialized path with a trailing slash, the casbin domain of a target. */
  domains: Map<string, string>;
}

/** provider → 10 distributors → 10 resellers → 10 customers: 1,111 groups. */
function buildTree(): Tree {
  const tree: Tree = { ids: [], paths: new Map(), kinds: new Map(), domains: new Map() };
  const add = (id: string, kind: GroupKind, parent?: string) => {
    tree.ids.push(id);
    tree.kinds.set(id, kind);
    tree.paths.set(id, [id, ...(parent ? (tree.paths.get(parent) ?? []) : [])]);
    tree.domains.set(id, `${parent ? (tree.domains.get(parent) ?? '/') : '/'}${id}/`);
  };
  add('root', 'provider');
  for (let d = 0; d < 10; d++) {
    add(`d${d}`, 'distributor', 'root');
    for (let r = 0; r < 10; r++) {
      add(`d${d}r${r}`, 'reseller', `d${d}`);
      for (let c = 0; c < 10; c++) add(`d${d}r${r}c${c}`, 'customer', `d${d}r${r}`);
    }
  }
  return tree;
}

const ROLES: RoleGrant[] = BUILTIN_ROLES.map((r) => ({
  id: r.key,
  name: r.name,
  permissions: new Set(r.permissions),
  deviceVisibility: r.deviceVisibility,
}));
/** Questions use keys whose module exists at every kind: casbin's policy has no notion of seed 001's table. */
const KEYS = PERMISSIONS.filter((p) => !MODULES[p.module].endCustomerOnly).map((p) => p.key);

function bindingsFor(tree: Tree, count: number, seed: number): Map<string, Binding[]> {
  const next = rng(seed);
  const byUser = new Map<string, Binding[]>();
  for (let i = 0; i < count; i++) {
    const user = `u${i}`;
    const groupId = tree.ids[Math.floor(next() * tree.ids.length)] ?? 'root';
    const role = ROLES[Math.floor(next() * ROLES.length)] ?? ROLES[0];
    if (role) byUser.set(user, [{ groupId, role }]);
  }
  return byUser;
}

/** Half the questions land inside the subject's own subtree, so both answers are common. */
function questions(tree: Tree, byUser: Map<string, Binding[]>, count: number, seed: number) {
  const next = rng(seed);
  const users = byUser.size;
  return Array.from({ length: count }, () => {
    const user = `u${Math.floor(next() * users)}`;
    const home = byUser.get(user)?.[0]?.groupId ?? 'root';
    const inside = tree.ids.filter((id) => (tree.paths.get(id) ?? []).includes(home));
    const pool = next() < 0.5 && inside.length > 0 ? inside : tree.ids;
    return { user, key: KEYS[Math.floor(next() * KEYS.length)] ?? 'users.view', group: pool[Math.floor(next() * pool.length)] ?? 'root' };
  });
}

const CASBIN_MODEL = `
[request_definition]
r = sub, dom, act
[policy_definition]
p = sub, act
[role_definition]
g = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub, r.dom) && r.act == p.act
`;

/** The same RBAC as casbin "RBAC with domains": a binding at a group is a role in the domain pattern "<path>/*". */
async function casbinFor(tree: Tree, byUser: Map<string, Binding[]>) {
  const enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL));
  await enforcer.addNamedDomainMatchingFunc('g', Util.keyMatchFunc);
  await enforcer.addPolicies(ROLES.flatMap((role) => [...role.permissions].map((key) => [role.id, key])));
  const grouping: string[][] = [];
  for (const [user, bindings] of byUser)
    for (const b of bindings) grouping.push([user, b.role.id, `${tree.domains.get(b.groupId) ?? '/'}*`]);
  await enforcer.addGroupingPolicies(grouping);
  return enforcer;
}

/** The i-th item, cycling; the arrays are never empty. */
function cycle<T>(items: readonly T[], i: number): T {
  const item = items[i % items.length];
  if (item === undefined) throw new Error('no questions generated');
  return item;
}

export async function accessBench(): Promise<string[]> {
  const tree = buildTree();
  const out: string[] = [];
  const ask = (byUser: Map<string, Binding[]>, q: { user: string; key: string; group: string }) =>
    decide(byUser.get(q.user) ?? [], q.key, {
      type: 'group',
      id: q.group,
      path: tree.paths.get(q.group) ?? [],
      kind: tree.kinds.get(q.group) ?? 'provider',
    }).allowed;

  const small = bindingsFor(tree, 1_000, 1);
  const qs = questions(tree, small, 5_000, 2);
  const enforcer = await casbinFor(tree, small);
  let mismatches = 0;
  let granted = 0;
  for (const q of qs) {
    const ours = ask(small, q);
    if (ours) granted++;
    if (ours !== enforcer.enforceSync(q.user, tree.domains.get(q.group), q.key)) mismatches++;
  }
  if (mismatches > 0) throw new Error(`decide and casbin disagree on ${mismatches} of ${qs.length} questions`);
  let i = 0;
  const ourDecide = await measure(
    `decide(), 1,000 bindings (${qs.length} questions, ${granted} allowed, casbin agrees on all)`,
    200_000,
    () => ask(small, cycle(qs, i++)),
  );
  let j = 0;
  const casbin = await measure('node-casbin enforceSync, RBAC with domains, same policy and questions', 5_000, () => {
    const q = cycle(qs, j++);
    return enforcer.enforceSync(q.user, tree.domains.get(q.group), q.key);
  });
  out.push(
    `${report('Access decision throughput (lower ratio = faster than the floor)', ourDecide, casbin)}\n  speed-up over casbin: ${(casbin.perOpMicros / ourDecide.perOpMicros).toFixed(0)}x (target >= 100x)`,
  );

  const large = bindingsFor(tree, 100_000, 3);
  const qsLarge = questions(tree, large, 5_000, 4);
  let k = 0;
  let m = 0;
  // Alternate the two sizes so neither gets a warmer JIT or cache; each keeps its best round.
  let atSmall = await measure('decide(), 1,000 bindings', 200_000, () => ask(small, cycle(qs, m++)));
  let atLarge = await measure('decide(), 100,000 bindings', 200_000, () => ask(large, cycle(qsLarge, k++)));
  for (let round = 0; round < 3; round++) {
    const s2 = await measure(atSmall.label, 200_000, () => ask(small, cycle(qs, m++)));
    const l2 = await measure(atLarge.label, 200_000, () => ask(large, cycle(qsLarge, k++)));
    if (s2.perOpMicros < atSmall.perOpMicros) atSmall = s2;
    if (l2.perOpMicros < atLarge.perOpMicros) atLarge = l2;
  }
  out.push(report('decide() cost as bindings grow from 1k to 100k (target < 2x)', atLarge, atSmall, 2));
  return out;
}
