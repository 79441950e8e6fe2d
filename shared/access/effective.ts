import { AREAS, areaPermissions, type AreaId } from './catalog';

export type AreaLevel = 'none' | 'read' | 'full';

export interface AreaEffect {
  area: AreaId;
  label: string;
  level: AreaLevel;
  /** The keys held in this area. */
  keys: string[];
  /** True when some keys of the shown level are missing (a custom mix). */
  partial: boolean;
}

/**
 * A set of held keys as the matrix shows it: Full if any full-level key of the area is
 * held, Read if only read-level keys are, None otherwise.
 */
export function effectiveAreas(granted: ReadonlySet<string>): AreaEffect[] {
  return (Object.keys(AREAS) as AreaId[]).map((area) => {
    const defs = areaPermissions(area);
    const held = defs.filter((d) => granted.has(d.key));
    const level: AreaLevel = held.some((d) => d.level === 'full') ? 'full' : held.length > 0 ? 'read' : 'none';
    const wanted = level === 'full' ? defs : defs.filter((d) => d.level === 'read');
    return { area, label: AREAS[area], level, keys: held.map((d) => d.key), partial: level !== 'none' && held.length < wanted.length };
  });
}
