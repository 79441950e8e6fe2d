import { useEffect } from 'react';
import { useGroups } from './groups-store';
import { useMyAccess } from './my-access';
import { holdsAnywhere, missingAt, missingPermissionText, placeOf } from './permission-text';

// The pure rules live in permission-text.ts (testable without a page); screens import both from here.
export * from './permission-text';

/**
 * The one gate for a control (seed 002's troubleshooting: a gray button names what is
 * missing). Without a group: whether the caller holds the key anywhere. With one: at that
 * group. Null while unknown, or when the answer depends on a place the console cannot see:
 * the control stays on and the server's refusal explains. Pair it with ActionButton's
 * `reason` (renderer/src/ui/ActionButton.tsx) or put it in `title` of a disabled control.
 */
export function useMissingPermission(key: string, groupId?: string | null): string | null {
  return useMissingPermissionCheck()(key, groupId);
}

/** The gate for installation-wide things (settings, the whole audit chain), which belong to the root of the tree. */
export function useMissingPermissionAtRoot(key: string): string | null {
  const root = useMyAccess((s) => s.access?.home.path.at(-1) ?? null);
  return useMissingPermissionCheck()(key, root);
}

/** The same gate as a function, for rows of a list where a hook per row is not possible. */
export function useMissingPermissionCheck(): (key: string, groupId?: string | null) => string | null {
  const access = useMyAccess((s) => s.access);
  const model = useGroups((s) => s.model);
  useEffect(() => {
    if (!access) void loadOnce();
  }, [access]);
  return (key, groupId) => {
    if (!access) return null;
    if (groupId) {
      const place = placeOf(groupId, access, model);
      if (place) return missingAt(access, key, place);
    }
    return holdsAnywhere(access, key) ? null : missingPermissionText(key);
  };
}

let loading: Promise<void> | null = null;
function loadOnce(): Promise<void> {
  loading ??= useMyAccess
    .getState()
    .load()
    .finally(() => {
      loading = null;
    });
  return loading;
}
