import { Option, type Command } from 'commander';
import { z } from 'zod';
import { CliError, EXIT } from './exit-codes';

/** The part of JSON Schema that zod's `toJSONSchema` gives for Steward's inputs. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  description?: string;
  minimum?: number;
  maximum?: number;
}

/** An operation's input as JSON Schema, as a client sends it (before transforms). */
export function inputSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

type FlagKind = 'string' | 'number' | 'boolean' | 'strings' | 'json';

/** One top-level input field as a command line flag. */
export interface FieldFlag {
  key: string;
  /** --kebab-case of the key; commander gives the value back under the camelCase key. */
  flag: string;
  kind: FlagKind;
  required: boolean;
  /** "string, one of: csv, json (required)". */
  help: string;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return 'string';
  if (schema.const !== undefined) return typeof schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type) return type;
  const options = schema.anyOf ?? schema.oneOf;
  const types = new Set(options?.map(typeOf).filter((t) => t !== 'null'));
  return types.size === 1 ? ([...types][0] ?? 'json') : 'json';
}

function kindOf(schema: JsonSchema): FlagKind {
  const type = typeOf(schema);
  if (type === 'string') return 'string';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'array' && schema.items && typeOf(schema.items) === 'string') return 'strings';
  return 'json';
}

function describe(schema: JsonSchema, kind: FlagKind, required: boolean): string {
  const values = schema.enum ?? schema.items?.enum;
  const words: Record<FlagKind, string> = {
    string: 'text',
    number: typeOf(schema) === 'integer' ? 'whole number' : 'number',
    boolean: 'flag',
    strings: 'one or more values',
    json: 'JSON',
  };
  const parts = [words[kind]];
  if (values) parts.push(`one of: ${values.join(', ')}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${schema.minimum ?? ''}..${schema.maximum ?? ''}`);
  if (schema.description) parts.push(schema.description);
  return `${parts.join('; ')}${required ? ' (required)' : ''}`;
}

/** The flags an object schema's top-level fields give; nested objects and arrays of objects take JSON. */
export function fieldFlags(schema: JsonSchema): FieldFlag[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, field]) => {
    const kind = kindOf(field);
    return { key, flag: kebab(key), kind, required: required.has(key), help: describe(field, kind, required.has(key)) };
  });
}

/** Adds `flags` to `command` as options; required fields stay optional here, because --input may carry them. */
export function addFieldOptions(command: Command, flags: readonly FieldFlag[]): Command {
  for (const f of flags) {
    const spec = f.kind === 'boolean' ? `--${f.flag}` : f.kind === 'strings' ? `--${f.flag} <values...>` : `--${f.flag} <value>`;
    command.addOption(new Option(spec, f.help));
  }
  return command;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${where} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, EXIT.invalid);
  }
}

/**
 * The operation's input: `--input`'s JSON object, with each given flag's value set on top
 * (numbers and JSON read from their text). Bad text is refused naming the flag; the rules of
 * each field are the server's to check.
 */
export function inputFrom(options: Record<string, unknown>, flags: readonly FieldFlag[], inputJson?: string): Record<string, unknown> {
  const base = inputJson === undefined ? {} : parseJson(inputJson, '--input');
  if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new CliError('--input must be a JSON object', EXIT.invalid);
  const input = { ...(base as Record<string, unknown>) };
  for (const f of flags) {
    const camel = f.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = options[camel];
    if (value === undefined) continue;
    if (f.kind === 'number') {
      const n = Number(value);
      if (typeof value !== 'string' || value.trim() === '' || Number.isNaN(n))
        throw new CliError(`--${f.flag} must be a number`, EXIT.invalid, 'USAGE', f.key);
      input[f.key] = n;
    } else if (f.kind === 'json') input[f.key] = parseJson(String(value), `--${f.flag}`);
    else input[f.key] = value;
  }
  return input;
}

/** The help text below the flags: every field with its type and rule, from the contract. */
export function fieldsHelp(flags: readonly FieldFlag[]): string {
  if (flags.length === 0) return 'Input: none.';
  const width = Math.max(...flags.map((f) => f.flag.length)) + 4;
  return ['Input fields (from the contract):', ...flags.map((f) => `  --${f.flag.padEnd(width)}${f.help}`)].join('\n');
}
