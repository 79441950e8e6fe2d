import type { World } from './world';

/** A user at a group holding one role there: how most test worlds staff their groups. */
export function member(w: World, username: string, groupId: string, roleId: string): string {
  const id = w.user(username, groupId);
  w.bind(id, roleId, groupId);
  return id;
}
