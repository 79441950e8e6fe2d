import nodemailer from 'nodemailer';
import type { Db } from '../../db/connection';
import type { SecretBox } from '../../security/secret-box';
import { readSetting } from '../settings/settings';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends over the configured SMTP server; false when none is configured (the caller hands
 * out the link instead). TLS is required, implicit (`secure`) or by STARTTLS before any
 * sign-in, unless the setting explicitly allows sending without it: a server that offers
 * no TLS then fails the send (throws) before the password or the message leave.
 */
export async function sendMail(db: Db, secrets: SecretBox, mail: Mail): Promise<boolean> {
  const smtp = readSetting(db, 'smtp');
  if (!smtp) return false;
  const password = smtp.passwordSealed ? secrets.open(Buffer.from(smtp.passwordSealed, 'base64')).toString('utf8') : '';
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && !smtp.allowWithoutTls,
    ...(smtp.username ? { auth: { user: smtp.username, pass: password } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({ from: smtp.from, to: mail.to, subject: mail.subject, text: mail.text });
    return true;
  } finally {
    transport.close();
  }
}
