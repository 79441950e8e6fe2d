import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { permission as lookup } from '../../../shared/access/catalog';
import type { AccessAnswer, WhoCanAnswer } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { invoke } from '../api/client';
import { useGroups } from '../state/groups-store';
import { parseAccessTarget } from '../routes/paths';
import { useSession } from '../state/session';
import { FormError } from '../ui/FormError';
import { useFocusOnShow } from '../ui/focus';
import { useApiForm } from '../ui/use-api-form';
import { DecisionView, WhoCanView } from '../ui/AccessAnswerView';
import { EffectivePermissions } from './EffectivePermissions';
import { PermissionSelect } from './PermissionSelect';
import { TargetPicker, type TargetChoice } from './TargetPicker';
import { UserPicker, type PickedUser } from '../ui/UserPicker';

/** The key "Who can access this" asks about: seeing the object. */
const VIEW_KEYS = { group: 'groups.view', device: 'devices.view', user: 'users.view' } as const;

interface Checked {
  who: string;
  what: string;
  explain: AccessAnswer;
  whoCan: Result<WhoCanAnswer>;
}

/** "May this person do this there, and if not, why not?" — access.explain and access.whoCan side by side. */
export function AccessScreen() {
  const me = useSession((s) => s.user);
  const model = useGroups((s) => s.model);
  const form = useApiForm(['userId', 'permission', 'target.id']);
  const [user, setUser] = useState<PickedUser | null>(me ? { id: me.id, username: me.username, fullName: me.fullName } : null);
  // "Who can access this" on a person, device or group opens this screen with `?who=<type>:<id>`: the question is filled in and asked.
  const [params] = useSearchParams();
  const asked = parseAccessTarget(params.get('who'));
  const [permission, setPermission] = useState<string>(asked ? VIEW_KEYS[asked.type] : 'users.view');
  const [target, setTarget] = useState<TargetChoice>(asked ?? { type: 'group', id: '' });
  const askedOnArrival = useRef(false);
  const [missing, setMissing] = useState<{ user?: string; target?: string }>({});
  const [checked, setChecked] = useState<Checked | null>(null);
  // Each answer takes focus on its heading: the Check button was disabled while asking, and the answer is what comes next.
  const answerRef = useFocusOnShow<HTMLHeadingElement>(checked !== null, checked);

  useEffect(() => {
    if (!useGroups.getState().model) void useGroups.getState().load();
  }, []);

  // Until a group is chosen, ask about the top of the tree.
  const targetId = target.type === 'group' && !target.id ? (model?.roots[0] ?? '') : target.id;
  const targetName =
    target.type === 'group'
      ? (model?.nodes.get(targetId)?.group.name ?? targetId)
      : target.type === 'user'
        ? (target.user?.fullName ?? targetId)
        : `${target.type} ${targetId}`;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    check();
  }

  function check() {
    const problems = {
      ...(user ? {} : { user: 'Choose the user to ask about' }),
      ...(targetId.trim() ? {} : { target: 'Choose or enter the target' }),
    };
    setMissing(problems);
    if (!user || !targetId.trim()) return;
    const question = { permission, target: { type: target.type, id: targetId.trim() } };
    // An answer to the previous question must not stand next to a new one that failed.
    setChecked(null);
    const what = `${lookup(permission)?.label.toLowerCase() ?? permission}, on ${targetName}`;
    void form.submit(async (): Promise<Result<Checked>> => {
      const [explain, whoCan] = await Promise.all([
        invoke('access.explain', { userId: user.id, ...question }),
        invoke('access.whoCan', question),
      ]);
      if (!explain.ok) return { ok: false, error: explain.error };
      return { ok: true, value: { who: user.fullName || user.username, what, explain: explain.value, whoCan } };
    }, setChecked);
  }

  useEffect(() => {
    if (!asked || askedOnArrival.current || !user) return;
    askedOnArrival.current = true;
    check();
  });

  return (
    <div className="page access">
      <h1>Access</h1>
      <p className="muted">Ask whether someone may do something, see why, and see who else may.</p>
      <form className="panel wide-panel" onSubmit={onSubmit} noValidate aria-labelledby="access-question">
        <h2 id="access-question">Question</h2>
        <div className="access-grid">
          <UserPicker label="User" value={user} onChange={setUser} error={missing.user ?? form.fieldError('userId')} />
          <div>
            <PermissionSelect value={permission} onChange={setPermission} error={form.fieldError('permission')} />
            <TargetPicker value={{ ...target, id: targetId }} onChange={setTarget} error={missing.target ?? form.fieldError('target.id')} />
          </div>
        </div>
        <FormError message={form.formError} />
        <div className="form-actions">
          <button type="submit" className="primary inline" disabled={form.pending}>
            {form.pending ? 'Checking…' : 'Check'}
          </button>
        </div>
      </form>
      {checked && (
        <section className="panel wide-panel" aria-labelledby="access-answer">
          <h2 id="access-answer" ref={answerRef} tabIndex={-1}>
            Answer
          </h2>
          <DecisionView answer={checked.explain} who={checked.who} what={checked.what} />
          <h3>Who can</h3>
          <WhoCanView result={checked.whoCan} />
        </section>
      )}
      <EffectivePermissions user={user} suggestedGroupId={target.type === 'group' ? targetId || null : (model?.roots[0] ?? null)} />
    </div>
  );
}
