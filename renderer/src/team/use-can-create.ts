import { useEffect, useState } from 'react';
import { permission } from '../../../shared/access/catalog';
import { invoke } from '../api/client';

/**
 * Seed 002: "the Create user button is gray when your role lacks create_additional_users".
 * Asks the server's own decision at the caller's home group; null while unknown or when
 * the question itself is refused (then the button stays on and the server answers on click).
 */
export function useCreateLock(userId: string | undefined, homeGroupId: string | undefined): string | null {
  const [lock, setLock] = useState<{ key: string; reason: string | null } | null>(null);
  const key = `${userId ?? ''}@${homeGroupId ?? ''}`;

  useEffect(() => {
    if (!userId || !homeGroupId) return;
    let live = true;
    const asked = `${userId}@${homeGroupId}`;
    void invoke('access.decide', { userId, permission: 'users.create', target: { type: 'group', id: homeGroupId } }).then((result) => {
      if (!live) return;
      const def = permission('users.create');
      const name = def ? `“${def.label}” (users.create, seed name ${def.seedName ?? 'create_additional_users'})` : 'users.create';
      setLock({ key: asked, reason: result.ok && !result.value.allowed ? `Your roles lack ${name} at your home group` : null });
    });
    return () => {
      live = false;
    };
  }, [userId, homeGroupId]);

  return lock?.key === key ? lock.reason : null;
}
