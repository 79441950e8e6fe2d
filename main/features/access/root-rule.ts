import type { AccessRule } from '../../dispatch/registry';
import { rootGroup } from './tree';

/**
 * The rule of an installation-wide operation (settings, the whole audit chain): `key` at
 * the root group, which is where such facts live. Before setup there is no root, and the
 * need names an id no group has, so the call is refused like any unknown object.
 */
export function atRoot(key: string): Extract<AccessRule, { kind: 'scoped' }> {
  return {
    kind: 'scoped',
    keys: [key],
    needs: (_input, _actor, db) => [{ permission: key, on: { type: 'group', id: rootGroup(db)?.id ?? '' } }],
  };
}
