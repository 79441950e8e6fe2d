import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../shared/contract';
import { toForm, toInput } from '../../renderer/src/settings/settings-form';

const view: SettingsView = {
  idleTimeoutMinutes: 15,
  invitationExpiryHours: 24,
  auditRetentionDays: null,
  historyRetentionDays: 365,
  publicAddress: null,
  smtp: {
    host: 'mail.acme.test',
    port: 587,
    secure: false,
    username: 'mailer',
    hasPassword: true,
    from: 'steward@acme.test',
    allowWithoutTls: false,
  },
  version: 1,
};

describe('Settings form: the SMTP password box', () => {
  it.each([
    ['host', { host: 'mail.collector.test' }],
    ['port', { port: '2525' }],
    ['username', { username: 'other' }],
    ['sending without TLS', { allowWithoutTls: true }],
  ])('becomes required when the %s changes while a password is stored', (_what, change) => {
    const parsed = toInput({ ...toForm(view), ...change }, view);
    expect(parsed.input).toBeNull();
    expect(parsed.errors?.['smtp.password']).toMatch(/password again/);
    expect(toInput({ ...toForm(view), ...change, password: 'typed again' }, view).errors).toBeNull();
  });

  it('stays optional for changes that do not move the password (from address, implicit TLS)', () => {
    const parsed = toInput({ ...toForm(view), from: 'noreply@acme.test', secure: true }, view);
    expect(parsed.errors).toBeNull();
    expect(parsed.input?.smtp).not.toHaveProperty('password');
  });
});

describe('Settings form: the public address', () => {
  it('is sent when it changes (trimmed), not when only a trailing slash differs, and an emptied box clears it', () => {
    expect(toInput({ ...toForm(view), publicAddress: ' https://steward.acme.test ' }, view).input).toMatchObject({
      publicAddress: 'https://steward.acme.test',
    });
    const set = { ...view, publicAddress: 'https://steward.acme.test' };
    expect(toInput({ ...toForm(set), publicAddress: 'https://steward.acme.test/' }, set).input).not.toHaveProperty('publicAddress');
    expect(toInput({ ...toForm(set), publicAddress: '' }, set).input).toMatchObject({ publicAddress: '' });
  });
});
