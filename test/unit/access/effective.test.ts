import { describe, expect, it } from 'vitest';
import { AREAS, PERMISSION_KEYS } from '../../../shared/access/catalog';
import { effectiveAreas } from '../../../shared/access/effective';

const areaOf = (granted: string[], area: string) => effectiveAreas(new Set(granted)).find((a) => a.area === area);

describe('effectiveAreas: held keys as the matrix shows them (None · Read · Full)', () => {
  it('lists every area once, in the matrix’s order, with its label', () => {
    const areas = effectiveAreas(new Set());
    expect(areas.map((a) => a.area)).toEqual(Object.keys(AREAS));
    expect(areas.map((a) => a.label)).toEqual(Object.values(AREAS));
    expect(areas.every((a) => a.level === 'none' && !a.partial && a.keys.length === 0)).toBe(true);
  });

  it('Read when only read keys are held; Read is complete when every read key of the area is held', () => {
    expect(areaOf(['users.view'], 'users')).toEqual({
      area: 'users',
      label: 'Portal users',
      level: 'read',
      keys: ['users.view'],
      partial: false,
    });
  });

  it('Full when any full key is held; partial until every key of the area is held', () => {
    expect(areaOf(['users.edit'], 'users')).toMatchObject({ level: 'full', keys: ['users.edit'], partial: true });
    expect(areaOf(['users.view', 'users.create', 'users.edit', 'users.delete'], 'users')).toMatchObject({ level: 'full', partial: false });
  });

  it('an area of full keys only is Full and complete with all of them', () => {
    expect(areaOf(['deployment.run'], 'deployment')).toMatchObject({ level: 'full', partial: true });
    expect(areaOf(['deployment.run', 'deployment.passphrases'], 'deployment')).toMatchObject({ level: 'full', partial: false });
  });

  it('an area without full keys is at most Read, and complete with its read key', () => {
    expect(areaOf(['monitoring.view'], 'monitoring')).toMatchObject({ level: 'read', partial: false });
  });

  it('holding every key shows every area at its highest level and complete; keys are listed in catalog order', () => {
    const areas = effectiveAreas(new Set(PERMISSION_KEYS));
    const readOnly = areas.filter((a) => a.level === 'read').map((a) => a.area);
    expect(readOnly).toEqual(['dashboard', 'monitoring', 'monitoringTools', 'protectedData', 'charts']);
    expect(areas.every((a) => a.level !== 'none' && !a.partial)).toBe(true);
    expect(areas.flatMap((a) => a.keys).sort()).toEqual([...PERMISSION_KEYS].sort());
    expect(areas.find((a) => a.area === 'jobs')?.keys).toEqual(['jobs.view', 'jobs.run', 'backups.run']);
  });
});
