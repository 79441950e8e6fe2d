import { describe, expect, it } from 'vitest';
import { IpcTransport } from '../../main/transports/ipc/ipc';
import { isTrustedSender } from '../../main/transports/ipc/sender';
import { tempSteward } from '../helpers/temp-steward';

const OURS = new Set([7]);
const trusted = { frameUrl: 'steward://app/index.html', isMainFrame: true, webContentsId: 7 };

describe('IPC sender validation', () => {
  it('accepts the top frame of our window showing our origin', () => {
    expect(isTrustedSender(trusted, OURS)).toBe(true);
  });

  it('refuses another origin', () => {
    expect(isTrustedSender({ ...trusted, frameUrl: 'https://evil.example/' }, OURS)).toBe(false);
    expect(isTrustedSender({ ...trusted, frameUrl: 'file:///etc/passwd' }, OURS)).toBe(false);
    expect(isTrustedSender({ ...trusted, frameUrl: 'steward://other/index.html' }, OURS)).toBe(false);
  });

  it('refuses a sub-frame, even one on our origin', () => {
    expect(isTrustedSender({ ...trusted, isMainFrame: false }, OURS)).toBe(false);
  });

  it('refuses a window that is not ours and a frame that is gone', () => {
    expect(isTrustedSender({ ...trusted, webContentsId: 8 }, OURS)).toBe(false);
    expect(isTrustedSender({ ...trusted, frameUrl: null }, OURS)).toBe(false);
  });

  it('answers a forged sender with FORBIDDEN and runs nothing', async () => {
    const steward = tempSteward();
    try {
      const ipc = new IpcTransport(steward.dispatcher);
      ipc.windows.add(7);
      const before = steward.count('audit_events');
      const forged = await ipc.handle({ ...trusted, isMainFrame: false }, 'auth.setup', {
        rootGroupName: 'X',
        username: 'mallory',
        email: 'm@example.test',
        fullName: 'M',
        password: 'another long passphrase',
      });
      expect(forged).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(steward.count('users')).toBe(0);
      expect(steward.count('audit_events')).toBe(before);
      const status = await ipc.handle(trusted, 'auth.status', {});
      expect(status).toMatchObject({ ok: true, value: { setupRequired: true } });
    } finally {
      steward.cleanup();
    }
  });
});
