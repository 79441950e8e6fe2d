import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSteward } from '../main/app';
import { SessionStore } from '../main/features/auth/sessions';

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'prof-'));
  const steward = openSteward({ dataDir: dir });
  const call = (name: string, input: unknown, token: string | null) => steward.dispatcher.dispatch(name, input, { token, client: 'cli' });
  await call('auth.setup', { rootGroupName: 'P', username: 'owner', email: 'o@e.test', fullName: 'O', password: 'correct horse battery staple' }, null);
  const root = (steward.db.prepare("SELECT id FROM groups WHERE kind='provider'").get() as { id: string }).id;
  const owner = (steward.db.prepare("SELECT id FROM users WHERE username='owner'").get() as { id: string }).id;
  const now = Date.now();
  steward.db.prepare("INSERT INTO users (id, username, email, full_name, home_group_id, kind, created_at, updated_at) VALUES ('v','viewer','v@e.test','V',?, 'member', ?, ?)").run(root, now, now);
  steward.db.prepare("INSERT INTO role_bindings (user_id, role_id, group_id) VALUES ('v','builtin-viewer',?)").run(root);
  new SessionStore(steward.db).create('tok', 'v', 'active', 'cli', now);
  for (let round = 0; round < 3; round++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < 3000; i++) await call('auth.status', {}, 'tok');
    const status = Number(process.hrtime.bigint() - t) / 3000 / 1000;
    t = process.hrtime.bigint();
    for (let i = 0; i < 3000; i++) await call('users.resetPassword', { id: owner }, 'tok');
    const refused = Number(process.hrtime.bigint() - t) / 3000 / 1000;
    console.log(`status ${status.toFixed(1)} µs, refused ${refused.toFixed(1)} µs, ratio ${(refused / status).toFixed(2)}`);
  }
  steward.close();
}
void main();
