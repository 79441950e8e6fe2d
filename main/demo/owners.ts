import type { Dispatcher } from '../dispatch/dispatcher';
import type { DemoOwner } from './fleet';

export interface OwnersOutcome {
  /** Owner invitations issued, one per customer. */
  invited: number;
  /** The Owners who accepted theirs and can sign in (with the demo password), by company. */
  accepted: Array<{ groupId: string; company: string; username: string }>;
}

/**
 * Gives every demo customer its Owner the way the product does (R6, R11): the provider's
 * Owner, signed in as `token`, sends each customer an Owner invitation through
 * `invitations.create`, and the first `accept` of them are accepted through
 * `invitations.accept` with `password`, as the invitee would. The rest stay pending, like
 * a customer still being onboarded. Each acceptance pays one password hash (scrypt,
 * about half a second), which is why not every customer accepts.
 *
 * Throws with the operation and its message if the product refuses a step.
 */
export async function inviteOwners(
  dispatcher: Dispatcher,
  token: string,
  owners: readonly DemoOwner[],
  options: { accept: number; password: string },
): Promise<OwnersOutcome> {
  const call = async <T>(name: string, input: unknown, session: string | null): Promise<T> => {
    const out = await dispatcher.dispatch(name, input, { token: session, client: 'cli', source: 'local' });
    if (!out.result.ok) throw new Error(`${name} for ${JSON.stringify(input)} was refused: ${out.result.error.message}`);
    return out.result.value as T;
  };
  const links: Array<{ owner: DemoOwner; token: string }> = [];
  for (const owner of owners) {
    const sent = await call<{ link?: string }>(
      'invitations.create',
      { email: owner.email, roleId: 'builtin-owner', groupId: owner.groupId },
      token,
    );
    const linkToken = sent.link?.split('/#/invite/')[1];
    if (linkToken) links.push({ owner, token: linkToken });
  }
  const accepted = await Promise.all(
    links.slice(0, options.accept).map(async ({ owner, token: invite }) => {
      await call(
        'invitations.accept',
        { token: invite, username: owner.username, fullName: owner.fullName, password: options.password },
        null,
      );
      return { groupId: owner.groupId, company: owner.company, username: owner.username };
    }),
  );
  return { invited: owners.length, accepted };
}
