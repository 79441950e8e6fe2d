import type { UserStatus } from '../../../../shared/contract';
import { invoke } from '../../api/client';

export interface BulkOutcome {
  changed: string[];
  refused: Array<{ name: string; reason: string }>;
}

/**
 * One users.setStatus per member, one after another: each is its own command with its own
 * audit event and its own refusal (the first admin, yourself), reported by name.
 */
export async function setStatusOfMany(targets: ReadonlyArray<{ id: string; name: string }>, status: UserStatus): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { changed: [], refused: [] };
  for (const target of targets) {
    const result = await invoke('users.setStatus', { id: target.id, status });
    if (result.ok) outcome.changed.push(target.id);
    else outcome.refused.push({ name: target.name, reason: result.error.message });
  }
  return outcome;
}
