import { AREAS, areaPermissions, type AreaId, type PermissionDef } from '../../../shared/access/catalog';
import type { AreaLevel } from '../../../shared/access/effective';

export const AREA_IDS = Object.keys(AREAS) as AreaId[];

export const LEVEL_LABELS: Record<AreaLevel, string> = { none: 'None', read: 'Read', full: 'Full' };

/** Full if any full-level key of the area is held, Read if only read keys are, None otherwise (shared/access/effective.ts). */
export function areaLevel(area: AreaId, keys: ReadonlySet<string>): { level: AreaLevel; partial: boolean } {
  const defs = areaPermissions(area);
  const held = defs.filter((d) => keys.has(d.key));
  const level: AreaLevel = held.some((d) => d.level === 'full') ? 'full' : held.length > 0 ? 'read' : 'none';
  const wanted = level === 'full' ? defs : defs.filter((d) => d.level === 'read');
  return { level, partial: level !== 'none' && held.length < wanted.length };
}

/**
 * A partly granted area in words (issue 15, finding 13): how many of the keys its level stands
 * for are held, e.g. "3 of 5 Full keys held". Null when the area is not partial.
 */
export function partialText(area: AreaId, keys: ReadonlySet<string>): string | null {
  const { level, partial } = areaLevel(area, keys);
  if (!partial || level === 'none') return null;
  const wanted = [...keysForLevel(area, level)];
  return `${wanted.filter((k) => keys.has(k)).length} of ${wanted.length} ${LEVEL_LABELS[level]} keys held`;
}

/** The keys an area level stands for: Full the whole area, Read its read keys, None nothing. */
export function keysForLevel(area: AreaId, level: AreaLevel): Set<string> {
  return new Set(
    areaPermissions(area)
      .filter((d) => level === 'full' || (level === 'read' && d.level === 'read'))
      .map((d) => d.key),
  );
}

/**
 * Sets an area to a level, touching only the keys the editor may change (`locked` says
 * why a key may not); locked keys keep their current state, as the server would.
 */
export function withAreaLevel(
  keys: ReadonlySet<string>,
  area: AreaId,
  level: AreaLevel,
  locked: (def: PermissionDef) => string | null,
): Set<string> {
  const next = new Set(keys);
  const wanted = keysForLevel(area, level);
  for (const def of areaPermissions(area)) {
    if (locked(def)) continue;
    if (wanted.has(def.key)) next.add(def.key);
    else next.delete(def.key);
  }
  return next;
}

export function withKey(keys: ReadonlySet<string>, key: string, on: boolean): Set<string> {
  const next = new Set(keys);
  if (on) next.add(key);
  else next.delete(key);
  return next;
}

/** Keys added and removed going from `before` to `after`, in catalog order. */
export function keyChanges(before: ReadonlySet<string>, after: ReadonlySet<string>): { added: string[]; removed: string[] } {
  const order = AREA_IDS.flatMap((a) => areaPermissions(a).map((d) => d.key));
  return { added: order.filter((k) => after.has(k) && !before.has(k)), removed: order.filter((k) => before.has(k) && !after.has(k)) };
}

export function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((k) => b.has(k));
}
