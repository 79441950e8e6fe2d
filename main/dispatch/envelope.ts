import { deserialize, serialize } from 'node:v8';
import { z } from 'zod';
import type { ApiError } from '../../shared/result';
import type { OperationName } from '../../shared/contract';
import type { SecretBox } from '../security/secret-box';
import type { Actor, Client, Clock, Entropy } from './context';

/**
 * A command as data (DESIGN 6, issue 12): enough to run it again as the same person, and,
 * where it was made, to run it again exactly. Stored in `command_log` with the command's
 * audit event, in the same transaction. JSON-safe; holds no secret in clear.
 */
export interface CommandEnvelope {
  v: 1;
  /** A UUID drawn for this command. */
  id: string;
  operation: OperationName;
  /** The parsed input, with the contract's secret fields replaced by SECRET_STAND_IN. */
  input: unknown;
  actor: EnvelopeActor | null;
  client: Client;
  /** `ip:<address>`, `ipc` or `local`: sign-in throttling counts by it. */
  source: string;
  /** The web console's origin, for links in mail; null elsewhere. */
  webOrigin: string | null;
  origin: { installation: string; seq: number };
  /** What the command drew while it ran (after `prepare`): clock readings (ms since the epoch) and ids, in order. */
  draws: { clock: number[]; ids: string[] };
}

/**
 * The envelope's form, checked before `dispatchAs` reads any of it: a replica's push is
 * input like any other, and a malformed one is refused naming the field, never an internal
 * error. The input itself is checked by the operation's own schema.
 */
export const envelopeShape = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  operation: z.string().min(1).max(80),
  input: z.unknown(),
  actor: z
    .object({
      userId: z.string().min(1).max(128),
      username: z.string().max(254),
      stage: z.enum(['enroll', 'mfa', 'active']),
      sessionId: z.string().max(128).nullable(),
      system: z.string().max(40).optional(),
    })
    .nullable(),
  client: z.enum(['desktop', 'web', 'cli']),
  source: z.string().max(200),
  webOrigin: z.string().max(2048).nullable(),
  origin: z.object({ installation: z.string().min(1).max(64), seq: z.number().int().min(1) }),
  draws: z.object({ clock: z.array(z.number().int().min(0)), ids: z.array(z.string().max(64)) }),
});

/** A person, as the command saw them; or a system actor (`system` names the work). */
export type EnvelopeActor = Pick<Actor, 'userId' | 'username' | 'stage'> & { sessionId: string | null; system?: string };

/**
 * What only the installation that made a command may replay, sealed with its key: the random
 * bytes the command drew (tokens, salts, IVs) and what `prepare` concluded (a password hash,
 * a code's check). Never leaves the installation.
 */
export interface SealedPart {
  bytes: Buffer[];
  prepared: { ok: true; value: unknown } | { ok: false; error: ApiError } | null;
}

export const SECRET_STAND_IN = '[secret: not stored]';

/**
 * `input` with each dotted path in `paths` that is present replaced by SECRET_STAND_IN.
 * Copies only what it changes; the caller's input is left as it was.
 */
export function withoutSecrets(input: unknown, paths: readonly string[] | undefined): unknown {
  if (!paths || paths.length === 0) return input;
  let out = input;
  for (const path of paths) out = replaceAt(out, path.split('.'));
  return out;
}

function replaceAt(value: unknown, path: string[]): unknown {
  if (!isRecord(value)) return value;
  const [head, ...rest] = path;
  if (head === undefined || !(head in value) || value[head] === undefined || value[head] === null) return value;
  return { ...value, [head]: rest.length === 0 ? SECRET_STAND_IN : replaceAt(value[head], rest) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sealPart(secrets: SecretBox, part: SealedPart): Buffer | null {
  if (part.bytes.length === 0 && part.prepared === null) return null;
  return secrets.seal(serialize(part));
}

/** @throws Error when the seal is not this installation's (another key) or was altered. */
export function openPart(secrets: SecretBox, sealed: Buffer | null): SealedPart {
  if (!sealed) return { bytes: [], prepared: null };
  return deserialize(secrets.open(sealed)) as SealedPart;
}

/** A replay asked for a draw the recorded command did not make: its state differs from the one it was made on. */
export class ReplayDivergedError extends Error {
  constructor(operation: string, detail: string) {
    super(`Replaying ${operation} diverged from its record: ${detail}`);
    this.name = 'ReplayDivergedError';
  }
}

/**
 * How a command gets its time and randomness.
 * - `live`: fresh draws, all recorded.
 * - `replay`: every draw is the recorded one, in order; a draw beyond them is an error.
 * - `revalidate` (a hub re-running a replica's command): fresh time and bytes, the recorded
 *   ids (later commands of that replica name the objects by them), fresh ids beyond them.
 * - `rebase` (a replica re-running its own pending command on the hub's newer state): the
 *   recorded draws while they last, fresh ones beyond (the newer state may take another path).
 * Every mode records what was drawn, so the stored envelope says what happened here.
 */
export class Draws {
  readonly clockReadings: number[] = [];
  readonly ids: string[] = [];
  readonly bytes: Buffer[] = [];
  readonly clock: Clock;
  readonly entropy: Entropy;

  constructor(
    live: { clock: Clock; entropy: Entropy },
    mode: 'live' | 'replay' | 'revalidate' | 'rebase',
    operation: string,
    recorded?: { draws: CommandEnvelope['draws']; bytes: Buffer[] },
  ) {
    const replay = mode === 'replay' ? recorded : undefined;
    // Revalidation keeps the recorded ids while they last (a replica's later commands name objects by them).
    const keptIds = mode === 'revalidate' || mode === 'rebase' ? (recorded?.draws.ids ?? []) : [];
    const keptClock = mode === 'rebase' ? (recorded?.draws.clock ?? []) : [];
    const keptBytes = mode === 'rebase' ? (recorded?.bytes ?? []) : [];
    this.clock = {
      now: () => {
        const next = this.clockReadings.length;
        const at = replay
          ? pick(replay.draws.clock, next, operation, 'a clock reading')
          : next < keptClock.length
            ? (keptClock[next] as number)
            : live.clock.now();
        this.clockReadings.push(at);
        return at;
      },
    };
    this.entropy = {
      id: () => {
        const next = this.ids.length;
        const id = replay
          ? pick(replay.draws.ids, next, operation, 'an id')
          : next < keptIds.length
            ? (keptIds[next] as string)
            : live.entropy.id();
        this.ids.push(id);
        return id;
      },
      bytes: (count) => {
        const next = this.bytes.length;
        const kept = keptBytes[next];
        const drawn = replay
          ? pick(replay.bytes, next, operation, 'random bytes')
          : kept && kept.length === count
            ? kept
            : live.entropy.bytes(count);
        if (drawn.length !== count)
          throw new ReplayDivergedError(operation, `it drew ${count} random bytes where ${drawn.length} were recorded`);
        this.bytes.push(drawn);
        return drawn;
      },
    };
  }

  envelopeDraws(): CommandEnvelope['draws'] {
    return { clock: [...this.clockReadings], ids: [...this.ids] };
  }
}

function pick<T>(list: readonly T[], index: number, operation: string, what: string): T {
  if (index >= list.length) throw new ReplayDivergedError(operation, `it drew ${what} the recorded command did not`);
  return list[index] as T;
}

/** The installation's key, sealing with IVs drawn from the command, so a replay seals the same bytes. */
export function sealingWith(secrets: SecretBox, entropy: Entropy): SecretBox {
  return {
    seal: (plain) => secrets.seal(plain, entropy.bytes(12)),
    open: (sealed) => secrets.open(sealed),
    mac: (purpose, data) => secrets.mac(purpose, data),
  };
}
