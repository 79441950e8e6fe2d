import { describe, expect, it } from 'vitest';
import { decide, type Target } from '../../../shared/access/decide';
import { explainDecision, type ExplainNames } from '../../../shared/access/explain';
import { bind, PATH, role } from './fixtures';

const GROUP_NAMES: Record<string, string> = { root: 'Provider', reseller: 'Resello', acme: 'Acme', berlin: 'Berlin', globex: 'Globex' };

function names(over: Partial<ExplainNames> = {}): ExplainNames {
  return {
    subject: 'Fay',
    target: 'Sam',
    pathNames: ['Provider', 'Resello', 'Acme'],
    kind: 'customer',
    groupName: (id) => GROUP_NAMES[id] ?? id,
    allBindings: ['Editor at Globex'],
    ...over,
  };
}

const sam: Target = { type: 'user', id: 'sam', path: PATH.acme, kind: 'customer' };

describe('explainDecision (R22): the deciding binding or the first missing link, in words', () => {
  it('a yes names the role, where it is held, the target with its path, and the permission’s label', () => {
    const decision = decide([bind('reseller', role('Editor', ['users.edit']))], 'users.edit', sam);
    expect(explainDecision(decision, names())).toBe(
      'Yes. Fay holds Editor at Resello, which covers Sam (Provider › Resello › Acme), and Editor includes “Edit users”.',
    );
  });

  it('an unknown key is said to be unknown', () => {
    expect(explainDecision(decide([], 'made.up', sam), names())).toBe('No. That is not a permission Steward knows.');
  });

  it('seed-001: a module refusal names the module and the group kind, whatever the role says', () => {
    const atReseller: Target = { type: 'group', id: 'reseller', path: PATH.reseller, kind: 'reseller' };
    const decision = decide([bind('root', role('Deployer', ['deployment.passphrases']))], 'deployment.passphrases', atReseller);
    expect(explainDecision(decision, names({ kind: 'sub_distributor' }))).toBe(
      'No. Automatic deployment and generating passphrases is available only at end customers, not at sub-distributor groups, whatever the role says.',
    );
  });

  it('a scope refusal lists where the subject does hold roles, or says they hold none', () => {
    const decision = decide([bind('globex', role('Editor', ['users.edit']))], 'users.edit', sam);
    expect(explainDecision(decision, names({ allBindings: ['Editor at Globex', 'Viewer at Berlin'] }))).toBe(
      "No. None of Fay's roles is on the path of Sam (Provider › Resello › Acme). Fay holds: Editor at Globex; Viewer at Berlin.",
    );
    expect(explainDecision(decide([], 'users.edit', sam), names({ allBindings: [] }))).toBe('No. Fay holds no role anywhere.');
  });

  it('a permission refusal names every role held on the path and the missing permission’s label', () => {
    const decision = decide(
      [bind('acme', role('Viewer', ['users.view'])), bind('root', role('Auditor', ['audit.view']))],
      'users.delete',
      sam,
    );
    expect(explainDecision(decision, names())).toBe(
      'No. Fay holds Viewer at Acme and Auditor at Provider, which does not include “Delete users”.',
    );
  });

  it('an assignment refusal names the limited roles once each and says the device is not assigned', () => {
    const laptop: Target = { type: 'device', id: 'laptop', path: PATH.acme, kind: 'customer', assignedToSubject: false };
    const operator = role('Operator', ['devices.view'], 'assigned');
    const decision = decide([bind('acme', operator), bind('reseller', operator)], 'devices.view', laptop);
    expect(explainDecision(decision, names({ target: 'laptop-7' }))).toBe(
      "No. Fay's role (Operator) sees only devices assigned to them, and laptop-7 is not assigned to Fay.",
    );
  });

  it('an assignment refusal lists each limited role by name, comma-separated', () => {
    const laptop: Target = { type: 'device', id: 'laptop', path: PATH.acme, kind: 'customer', assignedToSubject: false };
    const decision = decide(
      [bind('acme', role('Operator', ['devices.view'], 'assigned')), bind('root', role('Limited Reviewer', ['devices.view'], 'assigned'))],
      'devices.view',
      laptop,
    );
    expect(explainDecision(decision, names({ target: 'laptop-7' }))).toBe(
      "No. Fay's role (Operator, Limited Reviewer) sees only devices assigned to them, and laptop-7 is not assigned to Fay.",
    );
  });

  it('a module refusal built without a permission falls back to the console module instead of failing', () => {
    expect(explainDecision({ allowed: false, missing: 'module', candidates: [] }, names({ kind: 'reseller' }))).toBe(
      'No. Console is available only at end customers, not at reseller groups, whatever the role says.',
    );
  });

  it('a refusal without a permission still reads as a sentence', () => {
    expect(explainDecision({ allowed: false, missing: 'permission', candidates: [] }, names())).toBe(
      'No. Fay holds , which does not include that permission.',
    );
  });
});
