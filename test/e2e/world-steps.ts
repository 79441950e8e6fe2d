import type { Browser, Page } from '@playwright/test';
import { acceptOwnerInvitation, api } from './team-steps';

/** Set-up through the API as the signed-in page, for what a test is not about: groups, companies and people. */

export async function rootGroupId(page: Page): Promise<string> {
  const { groups } = await api<{ groups: Array<{ id: string; parentId: string | null }> }>(page, 'groups.tree', {});
  const root = groups.find((g) => g.parentId === null);
  if (!root) throw new Error('no root group');
  return root.id;
}

/** A company with its Owner (`<login>@<name>.test`, full name "<login> Owner") signed up through the Owner invitation (R11). */
export async function companyWithOwner(
  page: Page,
  browser: Browser,
  parentId: string,
  name: string,
  login: string,
  kind: 'customer' | 'reseller' | 'distributor' = 'customer',
): Promise<string> {
  const { id, ownerInvitation } = await api<{ id: string; ownerInvitation?: { link?: string } }>(page, 'groups.create', {
    parentId,
    kind,
    name,
    owner: { email: `${login}@${name.toLowerCase().replace(/\W+/g, '')}.test` },
  });
  await acceptOwnerInvitation(browser, ownerInvitation?.link ?? '', login);
  return id;
}

/** A member homed at `homeGroupId` holding one role at `roleGroupId` (the home group when left out); returns the id and password. */
export async function memberByApi(
  page: Page,
  person: { username: string; fullName: string; homeGroupId: string; roleId: string; roleGroupId?: string },
): Promise<{ id: string; password: string }> {
  return api<{ id: string; password: string }>(page, 'users.create', {
    username: person.username,
    email: `${person.username}@example.test`,
    fullName: person.fullName,
    homeGroupId: person.homeGroupId,
    bindings: [{ roleId: person.roleId, groupId: person.roleGroupId ?? person.homeGroupId }],
  });
}
