import { useEffect, useState } from 'react';
import type { UserDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { useGroups } from '../../state/groups-store';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { useApiForm } from '../../ui/use-api-form';
import { ActionButton } from '../../ui/ActionButton';
import { isWithin } from '../../state/tree-model';
import { companyIdOf, KindGroupChecklist } from '../parts/KindGroupChecklist';

/**
 * Seed 004: a person can belong to several departments of their company; the Group
 * Supervisors of those departments then reach them. Saved as a whole, so unticking is undo.
 * The page keys this section by the stored list, so a reload resets the ticks.
 */
export function DepartmentsSection({
  user,
  onSaved,
  onReload,
}: {
  user: UserDetail;
  onSaved: (message: string) => void;
  onReload: () => void;
}) {
  const model = useGroups((s) => s.model);
  const saved = user.departments.map((d) => d.groupId);
  const [selected, setSelected] = useState<string[]>(saved);
  const form = useApiForm(['baseVersion', 'departmentIds', ...selected.map((_, i) => `departmentIds.${i}`)]);
  const name = user.fullName || user.username;
  const lock = user.can.setDepartments ? null : (user.can.reasons.setDepartments ?? 'You cannot change the departments of this member');
  const savedKey = [...saved].sort().join(',');
  const changed = [...selected].sort().join(',') !== savedKey;

  useEffect(() => {
    if (!useGroups.getState().model) void useGroups.getState().load();
  }, []);

  const within = companyIdOf(model, user.homeGroupId);
  const synced = model?.order.some((id) => {
    const group = model.nodes.get(id)?.group;
    return group?.kind === 'department' && group.synced?.locked === true && (!within || isWithin(model, id, within));
  });
  const fieldError = selected.map((_, i) => form.fieldError(`departmentIds.${i}`)).find((m) => m !== undefined);

  function save() {
    void form.submit(
      () => invoke('users.setDepartments', { userId: user.id, baseVersion: user.version, departmentIds: selected }),
      (value) =>
        onSaved(
          value.departments.length === 0
            ? `${name} belongs to no department now.`
            : `${name} belongs to ${value.departments.map((d) => d.groupName).join(', ')}.`,
        ),
    );
  }

  return (
    <section className="panel user-section" aria-labelledby="user-departments">
      <h2 id="user-departments">Departments</h2>
      <p className="muted">
        Besides their home group, {name} belongs to the departments ticked here. A Group Supervisor of one of them can act on {name}.
      </p>
      <KindGroupChecklist
        kind="department"
        within={within}
        selected={selected}
        onChange={setSelected}
        legend="Member of"
        error={fieldError ?? form.fieldError('departmentIds')}
        disabled={Boolean(lock) || form.pending}
        lockSynced
        hint={synced ? 'Departments marked as synced follow the company’s directory while its sync is on: change them there.' : undefined}
      />
      <FormError message={form.formError} />
      <StaleCopyNotice message={form.fieldError('baseVersion')} what="member" onReload={onReload} />
      <div className="form-actions">
        <button type="button" disabled={!changed || form.pending} onClick={() => setSelected(saved)}>
          Discard changes
        </button>
        <ActionButton className="primary inline" reason={lock} disabled={!changed || form.pending} onClick={save}>
          {form.pending ? 'Saving…' : 'Save departments'}
        </ActionButton>
      </div>
    </section>
  );
}
