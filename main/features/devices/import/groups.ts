import type { Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import { nameKey } from '../../../../shared/names';
import { scopeCondition } from '../../access/access';

export interface GroupChoice {
  id: string;
  name: string;
  /**
   * Names down to this group from the highest group the importer may see (or from the
   * provider, whose name is public, when nothing between is hidden): a group above what they
   * see is never named (R13), in an export's paths or an import's answers.
   */
  path: string[];
  /** Ids from the root down to this group. */
  pathIds: string[];
  /** The importer holds devices.manage here. */
  manage: boolean;
}

export type GroupAnswer = { group: GroupChoice } | { problem: string };

/**
 * Reads an import's group column: a group id, or its path of names joined by " / ", of which
 * a unique tail is enough ("Contoso / Berlin", "Berlin"). Names are compared as they read
 * (R24, `nameKey`): "Res B / ärzte" finds "Ärzte" under "Res B".
 * Only groups the importer may see are candidates, so an unknown group and one outside
 * the importer's view get the same answer.
 */
export class GroupResolver {
  private readonly byId = new Map<string, GroupChoice>();
  private readonly byName = new Map<string, GroupChoice[]>();
  private readonly answers = new Map<string, GroupAnswer>();

  constructor(db: Db, actorId: string) {
    const visible = scopeCondition(db, actorId, 'groups.view', { group: 'g.id', kind: 'g.kind' }, 'gv');
    const manage = scopeCondition(db, actorId, 'devices.manage', { group: 'g.id', kind: 'g.kind' }, 'gm');
    const rows = stmt<Record<string, string>, { id: string; parent_id: string | null; name: string; visible: number; manage: number }>(
      db,
      `SELECT g.id, g.parent_id, g.name, ${visible.sql} AS visible, ${manage.sql} AS manage FROM groups g`,
    ).all({ ...visible.params, ...manage.params });
    const all = new Map(rows.map((r) => [r.id, r]));
    const pathOf = (id: string) => {
      const names: string[] = [];
      const ids: string[] = [];
      let named = true;
      for (let g = all.get(id); g; g = g.parent_id ? all.get(g.parent_id) : undefined) {
        // The provider's name is no secret (every sign-in page shows it): a path may start there when nothing between is hidden.
        named &&= Boolean(g.visible) || g.parent_id === null;
        if (named) names.unshift(g.name);
        ids.unshift(g.id);
      }
      return { names, ids };
    };
    for (const row of rows) {
      if (!row.visible) continue;
      const path = pathOf(row.id);
      const choice: GroupChoice = { id: row.id, name: row.name, path: path.names, pathIds: path.ids, manage: row.manage === 1 };
      this.byId.set(row.id, choice);
      const key = nameKey(row.name);
      const list = this.byName.get(key);
      if (list) list.push(choice);
      else this.byName.set(key, [choice]);
    }
  }

  resolve(text: string): GroupAnswer {
    const cached = this.answers.get(text);
    if (cached) return cached;
    const answer = this.lookup(text);
    this.answers.set(text, answer);
    return answer;
  }

  private lookup(text: string): GroupAnswer {
    const byId = this.byId.get(text.trim());
    if (byId) return { group: byId };
    const segments = text.split('/').map(nameKey);
    if (segments.some((s) => s === '')) return { problem: `"${text.slice(0, 80)}" is not a group path (write names joined by " / ")` };
    const candidates = (this.byName.get(segments[segments.length - 1] ?? '') ?? []).filter((g) => {
      if (g.path.length < segments.length) return false;
      const tail = g.path.slice(g.path.length - segments.length).map(nameKey);
      return tail.every((name, i) => name === segments[i]);
    });
    const [only, ...others] = candidates;
    if (!only) return { problem: `No group "${text.slice(0, 80)}" that you can see` };
    // Names from before R24 may read the same under one parent: then no path tells them apart, only an id does.
    if (others.length > 0 && candidates.every((g) => g.path.map(nameKey).join('/') === only.path.map(nameKey).join('/')))
      return {
        problem: `"${text.slice(0, 80)}" names ${candidates.length} groups whose names read the same (${candidates.map((g) => `"${g.name}" ${g.id}`).join(', ')}); write the group's id, or rename one of them`,
      };
    if (others.length > 0)
      return {
        problem: `"${text.slice(0, 80)}" matches ${candidates.length} groups; write more of its path (for example ${only.path.join(' / ')})`,
      };
    return { group: only };
  }
}
