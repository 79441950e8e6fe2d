import { Command, CommanderError } from 'commander';
import { addDeviceCommands } from './devices';
import { CliError, EXIT } from './exit-codes';
import { addOperationCommands } from './operations';
import { makeOutput, type Output } from './output';
import { connectTo, consoleUrl } from './session';
import { addSignInCommands } from './sign-in';

/**
 * `steward`: the command line over the same contract as the consoles, talking HTTP to a
 * running web console (or hub). README "Command line" lists its commands and exit codes.
 */
export function buildProgram(): Command {
  const program = new Command('steward')
    .description('Steward from the command line: sign in to a running console, then run any operation or a device task')
    .option('--url <url>', 'the console to talk to (default: STEWARD_URL, else the signed-in console, else http://127.0.0.1:4780)')
    .option('--json', 'machine-readable output: one JSON document on stdout, errors included')
    .showSuggestionAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 internal, 2 invalid input, 3 not found, 4 refused, 5 conflict, 6 sign-in needed or failed, 7 throttled, 8 console unreachable.\n' +
        'Every operation takes --help, e.g. steward devices.list --help.',
    );
  const global = () => program.opts<{ url?: string; json?: boolean }>();
  const output = (): Output => makeOutput(global().json === true);
  const url = () => consoleUrl(global().url);
  const connect = () => connectTo(url());
  addSignInCommands(program, url, output);
  addDeviceCommands(program, connect, output);
  addOperationCommands(program, connect, output);
  // Subcommands stop at their own errors too, with the same exit codes.
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

function report(error: unknown, json: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version end here with code 0; a usage mistake has been printed by commander already.
    return error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
  }
  const failure =
    error instanceof CliError
      ? error
      : new CliError(
          `Unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          EXIT.internal,
          'INTERNAL',
        );
  if (json) {
    const body = { ok: false, error: { code: failure.code, message: failure.message, ...(failure.field ? { field: failure.field } : {}) } };
    process.stdout.write(`${JSON.stringify(body)}\n`);
  } else process.stderr.write(`steward: ${failure.message}${failure.field ? ` (field: ${failure.field})` : ''}\n`);
  return failure.exitCode;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return report(error, program.opts<{ json?: boolean }>().json === true || argv.includes('--json'));
  }
}

// `steward … | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
