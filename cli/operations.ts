import type { Command } from 'commander';
import { contract, type OperationName } from '../shared/contract';
import { EXIT_FOR_ERROR } from './exit-codes';
import { apiFailure, type Output } from './output';
import { addFieldOptions, fieldFlags, inputFrom, inputSchemaOf } from './schema-flags';
import type { Connect } from './session';

/** Every operation a transport can reach: the contract less Steward's own (system) work. */
export function publicOperations(): OperationName[] {
  return (Object.keys(contract) as OperationName[]).filter((name) => contract[name].audience !== 'system').sort();
}

function audienceWords(name: OperationName): string {
  const audience = contract[name].audience;
  if (audience === 'public') return 'no sign-in needed';
  if (audience === 'system') return 'Steward only';
  return `session at stage ${audience.join(' or ')}`;
}

/**
 * `steward <operation>` for each operation of the contract: flags from its input schema's
 * top-level fields, or the whole input as `--input JSON` (flags override its fields); the
 * answer printed as JSON. `--help` comes from the contract: fields, kind, who may call,
 * and the error codes with their exit codes.
 */
export function addOperationCommands(program: Command, connect: Connect, output: () => Output): void {
  for (const name of publicOperations()) {
    const spec = contract[name];
    const flags = fieldFlags(inputSchemaOf(spec.input));
    const command = program
      .command(name)
      .description(`${spec.kind === 'command' ? 'Command (changes state, audited)' : 'Query (reads only)'}; ${audienceWords(name)}`)
      .option('--input <json>', 'the whole input as a JSON object; flags set fields on top of it');
    addFieldOptions(command, flags);
    const errors = spec.errors.map((code) => `${code} (exit ${EXIT_FOR_ERROR[code]})`).join(', ');
    command.addHelpText(
      'after',
      `\nErrors it may answer: ${errors || 'none beyond the transport'}; VALIDATION (exit 2) for input that breaks a field's rule.\n` +
        `Example: steward ${name} --input '{...}' --json`,
    );
    command.action(async (options: Record<string, unknown>) => {
      const input = inputFrom(options, flags, options.input as string | undefined);
      const client = connect();
      const result = await client.call(name, input);
      const out = output();
      if (!result.ok) throw apiFailure(result.error);
      out.print(JSON.stringify(result.value, null, 2), { ok: true, value: result.value });
    });
  }
}
