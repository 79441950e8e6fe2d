import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { PeopleDirectory, SessionPolicy } from '../../dispatch/services';
import { readSetting } from '../settings/settings';

/** The group a person belongs to; undefined when they do not exist. */
export function homeGroupOf(db: Db, userId: string): string | undefined {
  return stmt<[string], { home_group_id: string }>(db, 'SELECT home_group_id FROM users WHERE id = ?').get(userId)?.home_group_id;
}

/** The people and groups the dispatcher core names (main/dispatch/services.ts), read from `db`. */
export function peopleDirectory(db: Db): PeopleDirectory {
  return {
    activeUsername: (userId) => {
      const user = stmt<[string], { username: string; status: string }>(db, 'SELECT username, status FROM users WHERE id = ?').get(userId);
      return user?.status === 'active' ? user.username : undefined;
    },
    homeGroup: (userId) => homeGroupOf(db, userId),
    rootGroup: () => stmt<[], { id: string }>(db, "SELECT id FROM groups WHERE kind = 'provider'").get()?.id,
  };
}

/** The session timeouts, from the installation's settings. */
export function sessionPolicy(db: Db): SessionPolicy {
  return {
    idleMinutes: () => readSetting(db, 'session.idleTimeoutMinutes'),
    absoluteHours: () => readSetting(db, 'session.absoluteTimeoutHours'),
  };
}
