import { describe, expect, it } from 'vitest';
import { handler, Registry, type RegisteredHandler } from '../../main/dispatch/registry';

const status = handler('auth.status', {
  access: { kind: 'public' },
  run: () => ({
    setupRequired: true,
    setupCodeRequired: false,
    rootGroupName: null,
    placeName: null,
    session: null,
    idleTimeoutMinutes: 15,
    branding: null,
  }),
});

describe('operation registry', () => {
  it('refuses the same name twice', () => {
    expect(() => new Registry().register(status, status)).toThrow(/registered twice/);
  });

  it('refuses an operation without an access rule (deny by default)', () => {
    const noRule = { ...status, access: undefined } as unknown as RegisteredHandler;
    expect(() => new Registry().register(noRule)).toThrow(/no access rule/);
    const badRule = { ...status, access: { kind: 'anyone' } } as unknown as RegisteredHandler;
    expect(() => new Registry().register(badRule)).toThrow(/no access rule/);
  });

  it('refuses a name the contract does not have', () => {
    const stray = { ...status, name: 'auth.backdoor' } as unknown as RegisteredHandler;
    expect(() => new Registry().register(stray)).toThrow(/not in shared\/contract/);
  });

  it('reports contract operations that have no handler', () => {
    expect(() => new Registry().register(status).assertComplete()).toThrow(/auth\.signIn/);
  });
});
