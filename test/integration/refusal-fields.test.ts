import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { namesInputField } from '../../shared/contract/input-fields';
import { ROLE, worldPerTest } from '../helpers/world';

/** Issue 15: a refusal names the input field it is about, so the form marks the right box (or none). */
const world = worldPerTest(afterEach);

describe('refusals name a field of their own input', () => {
  it('groups.move into a parent that already has a group of that name names parentId, not a name the move never sent', async () => {
    const w = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const globex = w.group(w.rootId, 'customer', 'Globex');
    const berlin = w.group(acme, 'location', 'Berlin');
    w.group(globex, 'location', 'Berlin');
    const answer = await w.call(w.ownerId, 'groups.move', { id: berlin, parentId: globex });
    expect(answer).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'parentId' } });
    expect(namesInputField(contract['groups.move'].input, answer.ok ? '' : (answer.error.field ?? ''))).toBe(true);
  });

  it('a setting kept at the root group is refused without naming a field the input does not have', async () => {
    const w = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const admin = w.user('acme-admin', acme);
    w.bind(admin, ROLE.admin, acme);
    const answer = await w.call(admin, 'settings.update', { baseVersion: 1 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(answer.ok ? 'accepted' : answer.error.field).toBeUndefined();
  });
});
