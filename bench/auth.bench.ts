import { scrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { openSteward } from '../main/app';
import { SessionStore } from '../main/features/auth/sessions';
import { measure, measureInterleaved, report } from './measure';

const PASSWORD = 'correct horse battery staple';

/** Issue 2: sign-in verification and the dispatcher round trip, each against its physical floor. */
export async function authBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-'));
  const steward = openSteward({ dataDir: dir });
  try {
    const call = async (name: string, input: unknown, token: string | null) =>
      steward.dispatcher.dispatch(name, input, { token, client: 'cli' });
    const setup = await call(
      'auth.setup',
      { rootGroupName: 'Bench Provider', username: 'owner', email: 'owner@example.test', fullName: 'Owner', password: PASSWORD },
      null,
    );
    let token = setup.session?.kind === 'set' ? setup.session.token : null;
    const begin = await call('auth.beginEnrollment', {}, token);
    const secret = begin.result.ok ? (begin.result.value as { secret: string }).secret : '';
    const confirm = await call('auth.confirmEnrollment', { code: await generate({ secret }) }, token);
    token = confirm.session?.kind === 'set' ? confirm.session.token : token;

    const raw = steward.db.prepare('SELECT id, username, status FROM users WHERE username = ? COLLATE NOCASE');
    const floorRead = await measure('raw prepared SELECT of the user row', 20_000, () => raw.get('owner'));
    const roundTrip = await measure('dispatcher auth.status (session lookup, parse, transaction)', 20_000, () =>
      call('auth.status', {}, token),
    );

    // R12: a privileged call the caller may not make is refused before any work (no scrypt, no write but its audit event).
    const root = steward.db.prepare<[], { id: string }>("SELECT id FROM groups WHERE kind = 'provider'").get()?.id ?? '';
    const owner = steward.db.prepare<[], { id: string }>("SELECT id FROM users WHERE username = 'owner'").get()?.id ?? '';
    const now = Date.now();
    steward.db
      .prepare(
        "INSERT INTO users (id, username, email, full_name, home_group_id, kind, created_at, updated_at) VALUES ('bench-viewer', 'viewer', 'viewer@example.test', 'Viewer', ?, 'member', ?, ?)",
      )
      .run(root, now, now);
    steward.db.prepare("INSERT INTO role_bindings (user_id, role_id, group_id) VALUES ('bench-viewer', 'builtin-viewer', ?)").run(root);
    new SessionStore(steward.db).create('bench-viewer-token', 'bench-viewer', 'active', 'cli', now);
    // Refusals' audit events are written in batches (Dispatcher.recordRefusal): a flood of refused calls within the
    // 25 ms window shares one commit. Here every 25th call writes its batch, so the commits are in the figure.
    let sinceFlush = 0;
    const refused = await measure('users.resetPassword of the Owner by a Viewer (refused, audited, batches of 25)', 5_000, async () => {
      const answer = await call('users.resetPassword', { id: owner }, 'bench-viewer-token');
      if (answer.result.ok) throw new Error('the bench expected a refusal');
      if (++sinceFlush === 25) {
        sinceFlush = 0;
        steward.dispatcher.flushRefusals();
      }
    });
    steward.dispatcher.flushRefusals();

    const stored = steward.db.prepare<[], { password_hash: string }>("SELECT password_hash FROM users WHERE username = 'owner'").get();
    const [, n, r, p, salt] = (stored?.password_hash ?? '').split('$');
    const [floorScrypt, signIn] = await measureInterleaved(
      {
        label: 'raw crypto.scrypt with the same parameters',
        fn: () =>
          new Promise<void>((resolve, reject) =>
            scrypt(
              PASSWORD,
              Buffer.from(salt ?? '', 'base64'),
              32,
              { N: Number(n), r: Number(r), p: Number(p), maxmem: 300 * 1024 * 1024 },
              (e) => (e ? reject(e) : resolve()),
            ),
          ),
      },
      {
        label: 'auth.signIn through the dispatcher (password step, audited)',
        fn: () => call('auth.signIn', { login: 'owner', password: PASSWORD }, null),
      },
      4,
      4,
    );

    return [
      report('Dispatcher round trip', roundTrip, floorRead),
      report('Refused privileged call', refused, roundTrip, 2),
      report('Sign-in password verification', signIn, floorScrypt, 1.1),
    ];
  } finally {
    steward.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
