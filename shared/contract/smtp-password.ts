/** Where, and as whom, the stored SMTP password is presented, and whether that may happen without TLS. */
export interface SmtpDestination {
  host: string;
  port: number;
  username: string;
  allowWithoutTls: boolean;
}

/**
 * The stored SMTP password is presented only to the server and account it was typed for:
 * a change of host, port or username, or turning on sending without TLS, keeps a stored
 * password only when the same update types it again (otherwise whoever may change
 * settings could point the server at their own host and collect the password).
 *
 * `stored` is what is saved now (null when nothing is), `next` what the update asks for.
 * Returns the message for the `smtp.password` field, or null when the update may keep the
 * stored password. Host names compare without case (DNS ignores it).
 */
export function smtpPasswordRetypeReason(
  stored: (SmtpDestination & { hasPassword: boolean }) | null,
  next: SmtpDestination,
): string | null {
  if (!stored?.hasPassword) return null;
  const changed = [
    next.host.trim().toLowerCase() !== stored.host.trim().toLowerCase() ? 'host' : null,
    next.port !== stored.port ? 'port' : null,
    next.username !== stored.username ? 'username' : null,
  ].filter((c): c is string => c !== null);
  if (changed.length > 0) {
    const list = changed.length > 1 ? `${changed.slice(0, -1).join(', ')} and ${changed.at(-1) ?? ''}` : (changed[0] ?? '');
    return `Type the SMTP password again to change the ${list}: the stored password is only sent to the server and account it was given for`;
  }
  if (next.allowWithoutTls && !stored.allowWithoutTls)
    return 'Type the SMTP password again to allow sending without TLS: the stored password could then cross the network unencrypted';
  return null;
}
