import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../main/db/connection';
import { ROLE_TEMPLATES } from '../../shared/access/templates';
import { tempDir } from '../helpers/temp-steward';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

it('issue 15, finding 7: upgrading rewords descriptions a template gave (with or without the old set prefix) in roles and their versions; written ones stay', () => {
  const temp = tempDir();
  dirs.push(temp);
  const file = join(temp.dir, 'steward.db');
  const before = openDatabase(file);
  before
    .prepare("INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES ('root', NULL, 'provider', 'Provider', 0, 0)")
    .run();
  const role = before.prepare(
    "INSERT INTO roles (id, owner_group_id, name, description, device_visibility, created_at, updated_at) VALUES (?, 'root', ?, ?, 'scope', 0, 0)",
  );
  const version = before.prepare(
    "INSERT INTO role_versions (role_id, version, at, by_name, name, description, device_visibility, permissions) VALUES (?, 1, 0, 'olivia', ?, ?, 'scope', '[]')",
  );
  const rows: Array<[string, string, string]> = [
    ['r1', 'Reviewer', 'SaaS Backup + Archiver only. Reading: as Reviewer, limited to the data assigned to them.'],
    ['r2', 'Reviewer two', 'Seed 004, SaaS Backup + Archiver only. Reading: as Reviewer, limited to the data assigned to them.'],
    ['r3', 'Location User', 'Seed 003. Monitoring data of one or more locations, read only where the table says Read.'],
    ['r4', 'Mine', 'Reading: whatever I wrote myself, with the word Reading in it.'],
  ];
  for (const [id, name, description] of rows) {
    role.run(id, name, description);
    version.run(id, name, description);
  }
  before.pragma('user_version = 23');
  before.close();

  const db = openDatabase(file);
  const described = (table: string) =>
    db
      .prepare<[], { id: string; description: string }>(
        table === 'roles'
          ? 'SELECT id, description FROM roles WHERE builtin IS NULL ORDER BY 1'
          : 'SELECT role_id AS id, description FROM role_versions ORDER BY 1',
      )
      .all();
  const limited = ROLE_TEMPLATES.find((t) => t.id === 'saas-backup-limited-reviewer')?.description;
  const locationUser = ROLE_TEMPLATES.find((t) => t.id === 'company-portal-location-user')?.description;
  const expected = [
    { id: 'r1', description: limited },
    { id: 'r2', description: limited },
    { id: 'r3', description: locationUser },
    { id: 'r4', description: 'Reading: whatever I wrote myself, with the word Reading in it.' },
  ];
  expect(described('roles')).toEqual(expected);
  expect(described('role_versions')).toEqual(expected);
  db.close();
});
