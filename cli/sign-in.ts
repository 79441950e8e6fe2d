import type { Command } from 'commander';
import type { StageAnswer } from '../shared/contract';
import { ConsoleClient } from './client';
import { CliError, EXIT } from './exit-codes';
import { valueOf, type Output } from './output';
import { readSession, removeSession, sessionFilePath, writeSession } from './session-file';

/** Standard input read whole (a password piped in); its first line. */
async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

/** Asks on the terminal; a hidden answer is not echoed. Only where stdin is a terminal. */
function ask(question: string, hidden: boolean): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new CliError(`${question.replace(/: $/, '')} is needed: give it as a flag (see --help)`, EXIT.invalid);
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let answer = '';
    stdin.setRawMode(hidden);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          process.stderr.write('\n');
          resolve(answer);
          return;
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          reject(new CliError('Cancelled', EXIT.internal));
          return;
        }
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    stdin.on('data', onData);
  });
}

/** `steward login` and `steward logout`. */
export function addSignInCommands(program: Command, url: () => string, output: () => Output): void {
  program
    .command('login')
    .description('Sign in to a running console (password, then the authenticator code) and keep the session for later commands')
    .requiredOption('-u, --username <login>', 'your username or email')
    .option('--password-stdin', 'read the password from standard input (its first line) instead of asking')
    .option('--code <code>', 'the 6-digit code from your authenticator app')
    .option('--recovery-code <code>', 'one of your recovery codes, instead of --code')
    .addHelpText('after', `\nThe session is kept in ${sessionFilePath()} (0600; STEWARD_SESSION_FILE moves it) until steward logout.`)
    .action(async (options: { username: string; passwordStdin?: boolean; code?: string; recoveryCode?: string }) => {
      const out = output();
      const password = options.passwordStdin ? await firstLineOfStdin() : await ask('Password: ', true);
      const client = new ConsoleClient(url());
      let answer = valueOf(await client.call<StageAnswer>('auth.signIn', { login: options.username, password }));
      if (answer.stage === 'enroll')
        throw new CliError(
          'This account has no authenticator yet: sign in once in the console to set it up, then sign in here',
          EXIT.signIn,
          'WRONG_STAGE',
        );
      if (answer.stage === 'mfa') {
        const second = options.recoveryCode
          ? { recoveryCode: options.recoveryCode }
          : { code: options.code ?? (await ask('Code from your authenticator app: ', false)) };
        answer = valueOf(await client.call<StageAnswer>('auth.verifyCode', second));
      }
      writeSession(sessionFilePath(), {
        url: client.url,
        cookies: client.cookieRecord(),
        username: answer.user.username,
        savedAt: new Date().toISOString(),
      });
      out.print(`Signed in to ${client.url} as ${answer.user.username}.`, { ok: true, value: { url: client.url, user: answer.user } });
    });

  program
    .command('logout')
    .description('End the saved session on the console and forget it here')
    .action(async () => {
      const out = output();
      const file = sessionFilePath();
      const saved = readSession(file);
      if (!saved) {
        out.print('Not signed in.', { ok: true, value: { signedOut: false } });
        return;
      }
      const client = new ConsoleClient(saved.url, saved.cookies);
      // Forgotten here whatever the console says: an ended or expired session is as good as signed out.
      const result = await client.call('auth.signOut', {}).catch(() => null);
      removeSession(file);
      out.print(`Signed out of ${saved.url}${result?.ok === false ? ` (the console said: ${result.error.message})` : ''}.`, {
        ok: true,
        value: { signedOut: true },
      });
    });
}
