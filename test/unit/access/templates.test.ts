import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../../shared/access/builtin-roles';
import { AREAS, PERMISSION_KEYS, type AreaId } from '../../../shared/access/catalog';
import { effectiveAreas } from '../../../shared/access/effective';
import { ROLE_TEMPLATES, template, unknownTemplateKeys, type RoleTemplate, type TemplateSet } from '../../../shared/access/templates';
import { SEED_003_AREAS, seed003Table } from '../../helpers/seeds';

/** An area's level as the matrix shows it, `*` marking a partial mix. */
type Cell = 'read' | 'full' | 'read*' | 'full*';

function matrix(t: RoleTemplate): Partial<Record<AreaId, Cell>> {
  return Object.fromEntries(
    effectiveAreas(new Set(t.permissions))
      .filter((a) => a.level !== 'none')
      .map((a) => [a.area, `${a.level}${a.partial ? '*' : ''}`]),
  );
}

/** The sets by the source each comes from. */
const SET_OF = { '000': 'team', '003': 'company-portal', '004': 'saas-backup' } as const satisfies Record<string, TemplateSet>;
type Source = keyof typeof SET_OF;

function named(source: Source, name: string): RoleTemplate {
  const t = ROLE_TEMPLATES.find((r) => r.set === SET_OF[source] && r.name === name);
  if (!t) throw new Error(`no ${SET_OF[source]} template ${name}`);
  return t;
}

const holders = (key: string, source: Source) =>
  ROLE_TEMPLATES.filter((t) => t.set === SET_OF[source] && t.permissions.includes(key)).map((t) => t.name);

describe('role templates: the whole table', () => {
  it('every key a template names exists in the catalog, and no template names a key twice', () => {
    expect(unknownTemplateKeys()).toEqual([]);
    for (const t of ROLE_TEMPLATES) expect(new Set(t.permissions).size, t.id).toBe(t.permissions.length);
  });

  it('ids are unique and say their set; every template has a name and a description for its holders that never says “seed” nor how it was read (DESIGN 9, issue 15)', () => {
    expect(new Set(ROLE_TEMPLATES.map((t) => t.id)).size).toBe(ROLE_TEMPLATES.length);
    for (const t of ROLE_TEMPLATES) {
      expect(t.id.startsWith(`${t.set}-`), t.id).toBe(true);
      expect(t.name.length, t.id).toBeGreaterThan(2);
      for (const text of [t.id, t.description, t.explanation ?? '']) expect(text, t.id).not.toMatch(/seed/i);
      // How the keys were chosen is the picker's explanation, never the role's description.
      expect(t.description, t.id).not.toMatch(/\bReading\b|\btable\b/);
      expect(t.description.length, t.id).toBeGreaterThan(10);
    }
    expect(ROLE_TEMPLATES.filter((t) => t.set === 'team')).toHaveLength(4);
    expect(ROLE_TEMPLATES.filter((t) => t.set === 'company-portal')).toHaveLength(6);
    expect(ROLE_TEMPLATES.filter((t) => t.set === 'saas-backup')).toHaveLength(10);
  });

  it('template(id) finds a template by its id and nothing for an unknown id', () => {
    expect(template('saas-backup-reviewer')?.name).toBe('Reviewer');
    expect(template('team-owner')?.name).toBe('Owner');
    expect(template('nope')).toBeUndefined();
  });
});

describe('seed-000: the four built-in roles as templates', () => {
  it('each copies its built-in role’s keys and device visibility, with the built-in role’s description', () => {
    for (const r of BUILTIN_ROLES) {
      expect(template(`team-${r.key}`)).toEqual({
        id: `team-${r.key}`,
        set: 'team',
        name: r.name,
        description: r.description,
        deviceVisibility: r.deviceVisibility,
        permissions: r.permissions,
      });
    }
  });
});

describe('seed-003: the six company roles, cell by cell from the seed’s table', () => {
  const LEVEL: Record<string, Cell | 'none'> = { Full: 'full', 'Full*': 'full', Read: 'read', 'Read*': 'read', 'N/A': 'none' };
  /** Where the table says nothing, the reading each description states. */
  const OUTSIDE_TABLE: Record<string, Partial<Record<AreaId, Cell>>> = {
    'Company Owner': { dashboard: 'read', groups: 'read', audit: 'read' },
    'Company Administrator': { dashboard: 'read', groups: 'read', audit: 'read' },
    'Location Administrator': { dashboard: 'read', groups: 'read' },
    'Location User': { dashboard: 'read', groups: 'read' },
    // Holding their own computers (R16) needs devices.view under assigned visibility: the table's N/A reads as none but theirs.
    Subtenant: { devices: 'read' },
    'Company Invoice Auditor': {},
  };

  it('every role has exactly the table’s level in every row, each level complete (no partial mix), and nothing else', () => {
    const { roles, rows } = seed003Table();
    expect(roles).toEqual(Object.keys(OUTSIDE_TABLE));
    expect(rows).toHaveLength(16);
    for (const [index, name] of roles.entries()) {
      const expected: Partial<Record<AreaId, Cell>> = { ...OUTSIDE_TABLE[name] };
      for (const row of rows) {
        const cell = row.cells[index] ?? '';
        for (const area of SEED_003_AREAS[row.functionality] ?? []) {
          const level = cell === 'Only portal users' ? (area === 'users' ? 'full' : 'none') : LEVEL[cell];
          if (level === undefined) throw new Error(`cell not understood: ${cell}`);
          if (level !== 'none') expected[area as AreaId] = level;
        }
      }
      expect(matrix(named('003', name)), name).toEqual(expected);
    }
  });

  it('the asterisk (only their own computers) is the Subtenant’s assigned-devices visibility; the Invoice Auditor sees no device', () => {
    const assigned = ROLE_TEMPLATES.filter((t) => t.set === 'company-portal' && t.deviceVisibility === 'assigned').map((t) => t.name);
    expect(assigned).toEqual(['Subtenant', 'Company Invoice Auditor']);
  });

  it('the location roles are limited to bindings at locations; the company roles are not limited', () => {
    const scoped = ROLE_TEMPLATES.filter((t) => t.set === 'company-portal').map((t) => [t.name, t.scopeKind ?? null]);
    expect(scoped).toEqual([
      ['Company Owner', null],
      ['Company Administrator', null],
      ['Location Administrator', 'location'],
      ['Location User', 'location'],
      ['Subtenant', null],
      ['Company Invoice Auditor', null],
    ]);
  });
});

describe('seed-004: the ten access levels, as read from their names and the seed', () => {
  /** The matrix each level shows, as its description reads it. */
  const EXPECTED: Record<string, Partial<Record<AreaId, Cell>>> = {
    'IT Admin': {
      dashboard: 'read',
      monitoring: 'read',
      groups: 'read',
      locations: 'full',
      users: 'full',
      roles: 'read',
      devices: 'full',
      restores: 'full*',
      jobs: 'full',
      m365: 'full',
      reports: 'read',
      activeAlarms: 'full',
      protectedData: 'read',
      audit: 'read',
    },
    'Restricted IT Admin': {
      dashboard: 'read',
      monitoring: 'read',
      groups: 'read',
      users: 'read',
      devices: 'full*',
      restores: 'full*',
      jobs: 'full',
      m365: 'full',
      reports: 'read',
      activeAlarms: 'read',
      protectedData: 'read',
    },
    'Group Supervisor': {
      dashboard: 'read',
      monitoring: 'read',
      groups: 'read',
      users: 'full*',
      devices: 'read',
      restores: 'full*',
      jobs: 'read',
      m365: 'read',
      reports: 'read',
      activeAlarms: 'read',
      protectedData: 'read',
    },
    User: { dashboard: 'read', devices: 'read', restores: 'full*', jobs: 'read', m365: 'read', protectedData: 'read' },
    'User View and Restore': {
      dashboard: 'read',
      monitoring: 'read',
      groups: 'read',
      users: 'read',
      devices: 'read',
      restores: 'full*',
      jobs: 'read',
      m365: 'read',
      protectedData: 'read',
    },
    'Compliance and Review Officer': {
      dashboard: 'read',
      monitoring: 'read',
      groups: 'read',
      users: 'read',
      devices: 'read',
      jobs: 'read',
      m365: 'read',
      reports: 'read',
      protectedData: 'read',
      audit: 'full',
    },
    Reviewer: { dashboard: 'read', monitoring: 'read', groups: 'read', devices: 'read', jobs: 'read', m365: 'read', protectedData: 'read' },
    'Limited Reviewer': {
      dashboard: 'read',
      monitoring: 'read',
      groups: 'read',
      devices: 'read',
      jobs: 'read',
      m365: 'read',
      protectedData: 'read',
    },
    'Data Protection Officer': {
      dashboard: 'read',
      monitoring: 'read',
      groups: 'read',
      users: 'read',
      roles: 'read',
      settings: 'read',
      devices: 'read',
      jobs: 'read',
      m365: 'read',
      reports: 'read',
      protectedData: 'read',
      audit: 'full',
    },
  };

  it('each level shows the matrix its description reads', () => {
    for (const [name, expected] of Object.entries(EXPECTED)) expect(matrix(named('004', name)), name).toEqual(expected);
  });

  it('Full Admin holds everything but changing billing and transferring ownership, which stay with the Owner', () => {
    expect(PERMISSION_KEYS.filter((k) => !named('004', 'Full Admin').permissions.includes(k))).toEqual([
      'billing.manage',
      'ownership.transfer',
    ]);
  });

  it('restores are for the admin levels, the Group Supervisor and users; the reviewing levels read and never restore', () => {
    expect(holders('restores.run', '004')).toEqual([
      'Full Admin',
      'IT Admin',
      'Restricted IT Admin',
      'Group Supervisor',
      'User',
      'User View and Restore',
    ]);
  });

  it('only Full Admin and IT Admin add or delete users; the Group Supervisor edits (login on/off) without adding', () => {
    expect(holders('users.create', '004')).toEqual(['Full Admin', 'IT Admin']);
    expect(holders('users.delete', '004')).toEqual(['Full Admin', 'IT Admin']);
    expect(holders('users.edit', '004')).toEqual(['Full Admin', 'IT Admin', 'Group Supervisor']);
  });

  it('the audit log is read by Full Admin, IT Admin, the Compliance Officer and the DPO, and exported by all but IT Admin', () => {
    expect(holders('audit.view', '004')).toEqual(['Full Admin', 'IT Admin', 'Compliance and Review Officer', 'Data Protection Officer']);
    expect(holders('audit.export', '004')).toEqual(['Full Admin', 'Compliance and Review Officer', 'Data Protection Officer']);
  });

  it('User and Limited Reviewer see only data assigned to them; every other level sees its whole scope', () => {
    const assigned = ROLE_TEMPLATES.filter((t) => t.set === 'saas-backup' && t.deviceVisibility === 'assigned').map((t) => t.name);
    expect(assigned).toEqual(['User', 'Limited Reviewer']);
  });

  it('the Group Supervisor is bound at departments; no other level is limited to a kind of group', () => {
    expect(ROLE_TEMPLATES.filter((t) => t.set === 'saas-backup' && t.scopeKind).map((t) => [t.name, t.scopeKind])).toEqual([
      ['Group Supervisor', 'department'],
    ]);
  });

  it('the four Archiver-only levels say so in the picker; the others do not', () => {
    const archiver = ROLE_TEMPLATES.filter((t) => t.set === 'saas-backup' && t.explanation?.includes('SaaS Backup + Archiver only.')).map(
      (t) => t.name,
    );
    expect(archiver).toEqual(['Compliance and Review Officer', 'Reviewer', 'Limited Reviewer', 'Data Protection Officer']);
  });

  it('the matrix areas it names are real areas', () => {
    for (const expected of Object.values(EXPECTED)) for (const area of Object.keys(expected)) expect(Object.keys(AREAS)).toContain(area);
  });
});
