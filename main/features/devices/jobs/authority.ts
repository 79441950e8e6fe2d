import type { DeviceVisibility } from '../../../../shared/access/builtin-roles';
import { decide, type Binding } from '../../../../shared/access/decide';
import { ACTOR_REFUSALS, actorAssigns, pairKey, type DevicePairs, type Place, type Subject } from '../classify';

/**
 * A job acts for its starter after the call that started it. It keeps the rights the
 * starter had then, for the keys it uses on their behalf, and each chunk compares them with
 * the rights the starter has now (docs/rules.md: a background job re-checks its starter).
 */
export const JOB_KEYS = ['devices.view', 'devices.assign', 'users.view'] as const;

interface Grant {
  groupId: string;
  visibility: DeviceVisibility;
  keys: string[];
}

/**
 * The job keys of `bindings` as stable JSON text ([{groupId, visibility, keys}], sorted):
 * equal text means the starter may do exactly what they could, so a chunk can skip the comparison.
 */
export function authorityText(bindings: readonly Binding[]): string {
  const grants: Grant[] = bindings
    // Every key, not only the job's: dominance over each member (R7) compares all of them.
    .map((b) => ({ groupId: b.groupId, visibility: b.role.deviceVisibility, keys: [...b.role.permissions].sort() }))
    .filter((g) => g.keys.length > 0)
    .map((g) => JSON.stringify(g))
    .sort()
    .map((text) => JSON.parse(text) as Grant);
  return JSON.stringify(grants);
}

/** Bindings that grant what `authorityText` recorded, for `decide` and the device scope query. */
export function bindingsFromText(text: string): Binding[] {
  return (JSON.parse(text) as Grant[]).map((g, i) => ({
    groupId: g.groupId,
    role: { id: `job-grant-${i}`, name: 'Rights held when the job started', permissions: new Set(g.keys), deviceVisibility: g.visibility },
  }));
}

/** The right the starter lost on one device: its key, and the group of the binding that granted it when the job started (null for a member). */
export interface Loss {
  /** A key of JOB_KEYS, or `dominance` when the starter no longer holds every right a member holds (R7). */
  key: (typeof JOB_KEYS)[number] | 'dominance';
  groupId: string | null;
}

/**
 * Whether the starter lost, on this device, a right the job needs: some member's pair is
 * now refused for the starter's own sake (device not visible, outside their assign scope,
 * member not visible) and was not when the job started. Refusals that come from the member
 * (outside the company, cannot hold) are the member's, and stay per-pair refusals.
 */
export function starterLoss(
  start: Subject,
  now: Subject,
  before: DevicePairs,
  after: DevicePairs,
  deviceId: string,
  place: Place | undefined,
  assigned: Set<string>,
): Loss | null {
  const then = new Map(before.refused.map((r) => [r.userId, r.reason]));
  const lost = after.refused.find((r) => {
    const was = then.get(r.userId);
    return ACTOR_REFUSALS.has(r.reason) && !(was && ACTOR_REFUSALS.has(was));
  });
  if (!lost) return null;
  if (lost.reason === 'member-not-visible') return { key: 'users.view', groupId: null };
  if (lost.reason === 'member-holds-more') return { key: 'dominance', groupId: null };
  const key =
    place && actorAssigns(start, deviceId, place, assigned) && !actorAssigns(now, deviceId, place, assigned)
      ? 'devices.assign'
      : 'devices.view';
  const granted = place
    ? decide(start.bindings, key, {
        type: 'device',
        id: deviceId,
        path: place.path,
        kind: place.kind,
        assignedToSubject: assigned.has(pairKey(deviceId, start.userId)),
      })
    : null;
  return { key, groupId: granted?.allowed ? granted.binding.groupId : null };
}
