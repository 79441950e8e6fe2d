import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escalationGaps } from '../../../shared/access/escalation';
import { bind, PATH, role } from './fixtures';

const atAcme = { path: PATH.acme };

describe('escalationGaps (R5): the actor must hold every key it hands out, at the affected scope', () => {
  it('allows a grant whose keys the actor holds on the scope’s path', () => {
    const actor = [bind('reseller', role('Admin', ['users.view', 'users.edit']))];
    expect(escalationGaps(actor, { permissions: ['users.view', 'users.edit'], deviceVisibility: 'scope' }, atAcme)).toEqual([]);
  });

  it('names every key the actor lacks, in the grant’s order', () => {
    const actor = [bind('acme', role('Helpdesk', ['users.view']))];
    const grant = { permissions: ['users.delete', 'users.view', 'billing.manage'], deviceVisibility: 'scope' as const };
    expect(escalationGaps(actor, grant, atAcme)).toEqual(['users.delete', 'billing.manage']);
  });

  it('only keys held where the grant applies count: a key held at a sibling or below the scope is a gap', () => {
    const actor = [bind('globex', role('Admin', ['users.edit'])), bind('berlin', role('Admin', ['users.edit']))];
    expect(escalationGaps(actor, { permissions: ['users.edit'], deviceVisibility: 'scope' }, atAcme)).toEqual(['users.edit']);
  });

  it('keys may come from several bindings on the path together', () => {
    const actor = [bind('acme', role('A', ['users.view'])), bind('root', role('B', ['jobs.run']))];
    expect(escalationGaps(actor, { permissions: ['jobs.run', 'users.view'], deviceVisibility: 'assigned' }, atAcme)).toEqual([]);
  });

  it('module availability is not applied: a deployment key must be held even when granted at a reseller', () => {
    const actor = [bind('reseller', role('Reseller admin', ['devices.view']))];
    const grant = { permissions: ['deployment.run'], deviceVisibility: 'scope' as const };
    expect(escalationGaps(actor, grant, { path: PATH.reseller })).toEqual(['deployment.run']);
  });

  it('a role seeing every device needs the actor’s own device keys to see every device', () => {
    const operator = [bind('acme', role('Operator', ['devices.view', 'devices.assign', 'jobs.view'], 'assigned'))];
    const grant = { permissions: ['devices.view', 'jobs.view', 'devices.assign'], deviceVisibility: 'scope' as const };
    expect(escalationGaps(operator, grant, atAcme)).toEqual([
      'devices.view (for every device, not only assigned ones)',
      'jobs.view (for every device, not only assigned ones)',
      'devices.assign (for every device, not only assigned ones)',
    ]);
    // Handing out the same keys limited to assigned devices is within what the operator holds.
    expect(escalationGaps(operator, { ...grant, deviceVisibility: 'assigned' }, atAcme)).toEqual([]);
  });

  it('the device-visibility check is satisfied by any holder on the path that sees every device', () => {
    const actor = [bind('acme', role('Operator', ['devices.view'], 'assigned')), bind('root', role('Admin', ['devices.view'], 'scope'))];
    expect(escalationGaps(actor, { permissions: ['devices.view'], deviceVisibility: 'scope' }, atAcme)).toEqual([]);
  });

  it('a holder that sees every device but sits off the path does not lift the device limit', () => {
    const actor = [bind('acme', role('Operator', ['devices.view'], 'assigned')), bind('globex', role('Admin', ['devices.view'], 'scope'))];
    expect(escalationGaps(actor, { permissions: ['devices.view'], deviceVisibility: 'scope' }, atAcme)).toEqual([
      'devices.view (for every device, not only assigned ones)',
    ]);
  });

  it('a holder seeing every device without the key itself does not lift the device limit', () => {
    const actor = [bind('acme', role('Operator', ['devices.view'], 'assigned')), bind('acme', role('Admin', ['jobs.view'], 'scope'))];
    expect(escalationGaps(actor, { permissions: ['devices.view'], deviceVisibility: 'scope' }, atAcme)).toEqual([
      'devices.view (for every device, not only assigned ones)',
    ]);
  });

  it('keys outside the devices area carry the device limit too: running jobs on every device is more than on assigned ones', () => {
    const actor = [bind('acme', role('Operator', ['jobs.run', 'restores.run'], 'assigned'))];
    expect(escalationGaps(actor, { permissions: ['jobs.run', 'restores.run'], deviceVisibility: 'scope' }, atAcme)).toEqual([
      'jobs.run (for every device, not only assigned ones)',
      'restores.run (for every device, not only assigned ones)',
    ]);
    expect(escalationGaps(actor, { permissions: ['jobs.run', 'restores.run'], deviceVisibility: 'assigned' }, atAcme)).toEqual([]);
  });

  it('never lets a grant through that holds a key no on-path binding of the actor holds (random bindings)', () => {
    const groups = ['root', 'reseller', 'acme', 'berlin', 'globex'];
    const keys = ['users.view', 'users.edit', 'devices.view', 'jobs.run'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.constantFrom(...groups), keys: fc.subarray(keys) }), { maxLength: 4 }),
        fc.subarray(keys),
        (spec, granted) => {
          const actor = spec.map((s, i) => bind(s.at, role(`R${i}`, s.keys)));
          const gaps = escalationGaps(actor, { permissions: granted, deviceVisibility: 'scope' }, atAcme);
          const heldOnPath = new Set(spec.filter((s) => PATH.acme.includes(s.at as never)).flatMap((s) => s.keys));
          expect(gaps).toEqual(granted.filter((k) => !heldOnPath.has(k)));
        },
      ),
    );
  });
});
