import { stmt } from '../../db/statements';
import type { SessionUser } from '../../../shared/contract';
import type { Db } from '../../db/connection';

export interface AccountRow {
  id: string;
  username: string;
  email: string;
  full_name: string;
  status: 'active' | 'disabled';
  password_hash: string | null;
  totp_secret: Buffer | null;
  totp_last_step: number | null;
  protected: number;
  home_group_id: string;
}

const COLUMNS = 'id, username, email, full_name, status, password_hash, totp_secret, totp_last_step, protected, home_group_id';

export function findAccountByLogin(db: Db, login: string): AccountRow | undefined {
  return stmt<[string, string], AccountRow>(
    db,
    `SELECT ${COLUMNS} FROM users WHERE username = ? COLLATE NOCASE OR email = ? COLLATE NOCASE`,
  ).get(login, login);
}

export function findAccount(db: Db, id: string): AccountRow | undefined {
  return stmt<[string], AccountRow>(db, `SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id);
}

export function hasAccounts(db: Db): boolean {
  return stmt<[], { found: number }>(db, 'SELECT EXISTS (SELECT 1 FROM users) AS found').get()?.found === 1;
}

export function rootGroupName(db: Db): string | null {
  return stmt<[], { name: string }>(db, "SELECT name FROM groups WHERE kind = 'provider'").get()?.name ?? null;
}

export function sessionUser(row: Pick<AccountRow, 'id' | 'username' | 'full_name' | 'email'>): SessionUser {
  return { id: row.id, username: row.username, fullName: row.full_name, email: row.email };
}
