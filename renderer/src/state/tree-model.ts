import { isCompanyKind } from '../../../shared/access/groups';
import type { GroupSummary } from '../../../shared/contract';

export interface TreeNode {
  group: GroupSummary;
  /** The parent as this caller sees it: null when the real parent is outside what they may see. */
  parentId: string | null;
  children: string[];
  depth: number;
  /** Totals over the subtree the caller sees; null when no group in it reports a count. */
  userTotal: number | null;
  deviceTotal: number | null;
}

export interface TreeModel {
  nodes: ReadonlyMap<string, TreeNode>;
  roots: readonly string[];
  /** Every id in display order (depth first, siblings by name). */
  order: readonly string[];
}

export interface TreeRow {
  id: string;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
  posInSet: number;
  setSize: number;
  /** True when the row is shown because its name matches the search (not only as an ancestor). */
  match: boolean;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function addCount(total: number | null, value: number | null): number | null {
  if (value === null) return total;
  return (total ?? 0) + value;
}

/** Builds the tree once per load; ordering and totals do not depend on what is expanded. */
export function buildTreeModel(groups: readonly GroupSummary[]): TreeModel {
  const nodes = new Map<string, TreeNode>();
  for (const group of groups) {
    nodes.set(group.id, { group, parentId: null, children: [], depth: 0, userTotal: group.userCount, deviceTotal: group.deviceCount });
  }
  const roots: string[] = [];
  for (const node of nodes.values()) {
    const parent = node.group.parentId === null ? undefined : nodes.get(node.group.parentId);
    if (parent && parent !== node) {
      node.parentId = parent.group.id;
      parent.children.push(node.group.id);
    } else roots.push(node.group.id);
  }
  const byName = (a: string, b: string) => collator.compare(nodes.get(a)?.group.name ?? '', nodes.get(b)?.group.name ?? '');
  roots.sort(byName);
  for (const node of nodes.values()) node.children.sort(byName);

  // Iterative depth-first walk: a deep tree must not overflow the stack, and a cycle in bad data must not loop.
  const order: string[] = [];
  const seen = new Set<string>();
  const stack: Array<{ id: string; depth: number }> = [...roots].reverse().map((id) => ({ id, depth: 0 }));
  while (stack.length > 0) {
    const { id, depth } = stack.pop() as { id: string; depth: number };
    const node = nodes.get(id);
    if (!node || seen.has(id)) continue;
    seen.add(id);
    node.depth = depth;
    order.push(id);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ id: node.children[i] as string, depth: depth + 1 });
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = nodes.get(order[i] as string);
    const parent = node?.parentId ? nodes.get(node.parentId) : undefined;
    if (!node || !parent) continue;
    parent.userTotal = addCount(parent.userTotal, node.userTotal);
    parent.deviceTotal = addCount(parent.deviceTotal, node.deviceTotal);
  }
  return { nodes, roots, order };
}

/** The rows on screen when browsing: roots, and the children of every expanded row. */
export function browseRows(model: TreeModel, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (ids: readonly string[]) => {
    ids.forEach((id, index) => {
      const node = model.nodes.get(id);
      if (!node) return;
      const open = node.children.length > 0 && expanded.has(id);
      rows.push({
        id,
        depth: node.depth,
        hasChildren: node.children.length > 0,
        expanded: open,
        posInSet: index + 1,
        setSize: ids.length,
        match: false,
      });
      if (open) visit(node.children);
    });
  };
  visit(model.roots);
  return rows;
}

export interface SearchResult {
  rows: TreeRow[];
  matches: number;
}

/** Rows when searching: every match with its ancestors, expanded unless the person collapsed one. */
export function searchRows(model: TreeModel, query: string, collapsed: ReadonlySet<string>): SearchResult {
  const needle = query.trim().toLocaleLowerCase();
  const included = new Set<string>();
  const matched = new Set<string>();
  for (const id of model.order) {
    const node = model.nodes.get(id);
    if (!node?.group.name.toLocaleLowerCase().includes(needle)) continue;
    matched.add(id);
    for (
      let at: TreeNode | undefined = node;
      at && !included.has(at.group.id);
      at = at.parentId ? model.nodes.get(at.parentId) : undefined
    ) {
      included.add(at.group.id);
    }
  }
  const rows: TreeRow[] = [];
  const visit = (ids: readonly string[]) => {
    const shown = ids.filter((id) => included.has(id));
    shown.forEach((id, index) => {
      const node = model.nodes.get(id);
      if (!node) return;
      const kids = node.children.filter((child) => included.has(child));
      const open = kids.length > 0 && !collapsed.has(id);
      rows.push({
        id,
        depth: node.depth,
        hasChildren: kids.length > 0,
        expanded: open,
        posInSet: index + 1,
        setSize: shown.length,
        match: matched.has(id),
      });
      if (open) visit(kids);
    });
  };
  visit(model.roots);
  return { rows, matches: matched.size };
}

/** Ancestors of `id` from its parent up to the visible root. */
export function ancestorIds(model: TreeModel, id: string): string[] {
  const out: string[] = [];
  let parentId = model.nodes.get(id)?.parentId ?? null;
  while (parentId !== null && !out.includes(parentId)) {
    out.push(parentId);
    parentId = model.nodes.get(parentId)?.parentId ?? null;
  }
  return out;
}

/**
 * The company (provider, distributor, reseller or customer) holding all of these groups: the
 * nearest company at or above their lowest common ancestor, as far as the tree shows; null for
 * no groups, or groups the tree does not hold.
 */
export function commonCompany(model: TreeModel, ids: readonly string[]): string | null {
  const chains = ids.map((id) => (model.nodes.has(id) ? [id, ...ancestorIds(model, id)] : []));
  const lowest = chains[0]?.find((g) => chains.every((chain) => chain.includes(g)));
  if (lowest === undefined) return null;
  for (const g of [lowest, ...ancestorIds(model, lowest)]) {
    const kind = model.nodes.get(g)?.group.kind;
    if (kind && isCompanyKind(kind)) return g;
  }
  return null;
}

/** True when `id` is `ancestorId` or lies below it. */
export function isWithin(model: TreeModel, id: string, ancestorId: string): boolean {
  return id === ancestorId || ancestorIds(model, id).includes(ancestorId);
}

/** "Root › Distributor › Reseller": how a group is told apart from others of the same name. */
export function pathLabel(model: TreeModel, id: string): string {
  const names = [id, ...ancestorIds(model, id)].reverse().map((at) => model.nodes.get(at)?.group.name ?? '');
  return names.join(' › ');
}
