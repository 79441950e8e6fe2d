import { afterEach, describe, expect, it } from 'vitest';
import type { InvitationSent, SettingsView } from '../../shared/contract';
import { SmtpRecorder } from '../helpers/smtp-recorder';
import { ROLE, World } from '../helpers/world';

/** The stored SMTP password goes only where, as whom and how it was given (TLS unless explicitly not). */
const PASSWORD = 'smtp-password-canary-7f3a';
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function world(): World {
  const w = new World();
  cleanups.push(() => w.cleanup());
  return w;
}

async function recorder(): Promise<SmtpRecorder> {
  const server = await new SmtpRecorder().start();
  cleanups.push(() => server.stop());
  return server;
}

const smtp = (port: number, extra: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port,
  secure: false,
  username: 'mailer',
  from: 'steward@acme.test',
  ...extra,
});

function storedSettings(w: World): string {
  return JSON.stringify(w.steward.db.prepare('SELECT key, value FROM settings ORDER BY key').all());
}

describe('SMTP password: presented only where and as whom it was given', () => {
  it.each([
    ['host', { host: 'mail.collector.test' }],
    ['port', { port: 2526 }],
    ['username', { username: 'someone-else' }],
    ['sending without TLS', { allowWithoutTls: true }],
  ])('changing the SMTP %s without typing the password again is refused on smtp.password, and nothing is saved', async (_what, change) => {
    const w = world();
    await w.ok(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), smtp: smtp(2525, { password: PASSWORD }) });
    const before = storedSettings(w);
    const viewBefore = await w.ok<SettingsView>(w.ownerId, 'settings.get', {});

    const refused = await w.call(w.ownerId, 'settings.update', {
      baseVersion: w.version('settings'),
      idleTimeoutMinutes: 42,
      smtp: smtp(2525, change),
    });

    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('VALIDATION');
    expect(refused.error.field).toBe('smtp.password');
    expect(refused.error.message).toMatch(/password again/);
    // Nothing of the update stands, not even the unrelated idle timeout.
    expect(storedSettings(w)).toBe(before);
    expect(await w.ok<SettingsView>(w.ownerId, 'settings.get', {})).toEqual(viewBefore);
  });

  it('the same change with the password typed again is saved; a change elsewhere keeps the stored password', async () => {
    const w = world();
    await w.ok(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), smtp: smtp(2525, { password: PASSWORD }) });
    const moved = await w.ok<SettingsView>(w.ownerId, 'settings.update', {
      baseVersion: w.version('settings'),
      smtp: smtp(2526, { host: 'mail.acme.test', password: PASSWORD }),
    });
    expect(moved.smtp).toMatchObject({ host: 'mail.acme.test', port: 2526, hasPassword: true, allowWithoutTls: false });
    // From address, implicit TLS and host letter case do not change where the password goes.
    const kept = await w.ok<SettingsView>(w.ownerId, 'settings.update', {
      baseVersion: w.version('settings'),
      smtp: smtp(2526, { host: 'MAIL.acme.test', from: 'noreply@acme.test', secure: true }),
    });
    expect(kept.smtp).toMatchObject({ hasPassword: true, from: 'noreply@acme.test', secure: true });
  });

  it('settings changes never put the SMTP password, sealed or not, into the audit trail', async () => {
    const w = world();
    await w.ok(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), smtp: smtp(2525, { password: PASSWORD }) });
    await w.call(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), smtp: smtp(2525, { host: 'mail.collector.test' }) });
    await w.ok(w.ownerId, 'settings.update', {
      baseVersion: w.version('settings'),
      smtp: smtp(2525, { host: 'mail.acme.test', password: PASSWORD }),
    });
    const sealed = (JSON.parse(storedSettings(w)) as Array<{ key: string; value: string }>).find((s) => s.key === 'smtp')?.value ?? '';
    const sealedPassword = (JSON.parse(sealed) as { passwordSealed: string }).passwordSealed;
    expect(sealedPassword.length).toBeGreaterThan(0);
    const audit = JSON.stringify(w.steward.db.prepare("SELECT * FROM audit_events WHERE action = 'settings.update'").all());
    expect(audit).toContain('hasPassword');
    expect(audit).not.toContain(PASSWORD);
    expect(audit).not.toContain(sealedPassword);
    expect(audit).not.toContain('passwordSealed');
  });
});

describe('SMTP over TLS only, unless explicitly allowed without', () => {
  it('with TLS required, a server that offers no TLS gets neither the mail nor the password; the inviter gets the link', async () => {
    const w = world();
    const server = await recorder();
    await w.ok(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), smtp: smtp(server.port, { password: PASSWORD }) });

    const sent = await w.ok<InvitationSent>(w.ownerId, 'invitations.create', {
      email: 'ivy@acme.test',
      roleId: ROLE.viewer,
      groupId: w.rootId,
    });

    expect(sent.delivery).toBe('link');
    expect(sent.link).toMatch(/#\/invite\//);
    expect(server.signIns).toEqual([]);
    expect(server.messages).toEqual([]);
  });

  it('with sending without TLS explicitly allowed, the same server receives the mail (and the password, as chosen)', async () => {
    const w = world();
    const server = await recorder();
    await w.ok(w.ownerId, 'settings.update', {
      baseVersion: w.version('settings'),
      smtp: smtp(server.port, { password: PASSWORD, allowWithoutTls: true }),
    });

    const sent = await w.ok<InvitationSent>(w.ownerId, 'invitations.create', {
      email: 'ivy@acme.test',
      roleId: ROLE.viewer,
      groupId: w.rootId,
    });

    expect(sent.delivery).toBe('email');
    expect(server.messages.map((m) => m.to)).toEqual([['ivy@acme.test']]);
    expect(server.signIns).toEqual([{ username: 'mailer', password: PASSWORD }]);
  });
});
