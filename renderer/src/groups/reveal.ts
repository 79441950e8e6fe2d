import { useCustomerTree } from '../state/customer-tree';
import { useGroups } from '../state/groups-store';
import { ancestorIds } from '../state/tree-model';

/** Selects a group and opens its ancestors so that the tree shows it; a search that would hide it is cleared. */
export function revealGroup(id: string): void {
  const model = useGroups.getState().model;
  const tree = useCustomerTree.getState();
  if (model) {
    tree.expandAll(ancestorIds(model, id));
    const name = model.nodes.get(id)?.group.name.toLocaleLowerCase() ?? '';
    const query = tree.query.trim().toLocaleLowerCase();
    if (query && !name.includes(query)) tree.setQuery('');
  }
  tree.select(id);
}
