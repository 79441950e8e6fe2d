import { SMTPServer } from 'smtp-server';

export interface RecordedMail {
  to: string[];
  raw: string;
}

/**
 * A real SMTP server on loopback that offers no TLS at all (STARTTLS not advertised) and
 * accepts any sign-in over the plain connection, recording every username and password it
 * is given: what a host set up to collect credentials would do.
 */
export class SmtpRecorder {
  readonly messages: RecordedMail[] = [];
  readonly signIns: Array<{ username: string; password: string }> = [];
  port = 0;
  private readonly server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth: (auth, _session, callback) => {
      this.signIns.push({ username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username ?? '' });
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        this.messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = this.server.server.address();
    if (!address || typeof address === 'string') throw new Error('the SMTP recorder has no port');
    this.port = address.port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
