import { useState } from 'react';
import type { BulkAction, BulkPlan, BulkSelection, JobInfo } from '../../../shared/contract';
import type { PickedUser } from '../ui/UserPicker';
import { invoke } from '../api/client';
import { Dialog, DialogButtons } from '../ui/Dialog';
import { FormError } from '../ui/FormError';
import { countText } from './device-format';
import { CountsList, JobView, RefusalList } from './JobView';
import { MemberMultiPicker } from './MemberMultiPicker';

interface BulkWizardProps {
  action: BulkAction;
  selection: BulkSelection;
  /** "all 12,408 devices matching the filters" */
  selectionText: string;
  /** The company the selected devices belong to, whose people the member picker offers first; null when they span the tree. */
  memberScope: { groupId: string; name: string } | null;
  lock: string | null;
  onClose: () => void;
  onFinished: (job: JobInfo) => void;
}

type Step = { kind: 'members' } | { kind: 'plan'; plan: BulkPlan } | { kind: 'job'; job: JobInfo };

/**
 * Bulk assignment as issue 6 asks: pick members, see the dry run (what will change, what is
 * already so, what is refused and why), then run it as a job with progress, Cancel and Undo.
 */
export function BulkWizard({
  action,
  selection: asked,
  selectionText: askedText,
  memberScope,
  lock,
  onClose,
  onFinished,
}: BulkWizardProps) {
  // What was selected when the wizard opened: the grid may move on (a finished job clears its selection), this job does not.
  const [{ selection, selectionText }] = useState({ selection: asked, selectionText: askedText });
  const [members, setMembers] = useState<PickedUser[]>([]);
  const [step, setStep] = useState<Step>({ kind: 'members' });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<string | undefined>(undefined);
  const verb = action === 'assign' ? 'Assign' : 'Unassign';
  const input = { selection, userIds: members.map((m) => m.id), action };

  async function dryRun() {
    if (members.length === 0) {
      setMissing('Pick at least one member');
      return;
    }
    setMissing(undefined);
    setPending(true);
    setError(null);
    const result = await invoke('devices.bulkPlan', input);
    setPending(false);
    if (result.ok) setStep({ kind: 'plan', plan: result.value });
    else setError(result.error.message);
  }

  async function run() {
    setPending(true);
    setError(null);
    const result = await invoke('devices.bulkAssign', input);
    setPending(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setStep({ kind: 'job', job: result.value });
  }

  const title = `${verb} ${selectionText}`;
  return (
    <Dialog
      title={title}
      onClose={onClose}
      wide
      step={step.kind}
      description={
        step.kind === 'members' ? (
          <p>
            {action === 'assign'
              ? 'Pick the members who should see and manage these devices. A device can be assigned to several members.'
              : 'Pick the members these devices should be taken away from.'}{' '}
            Nothing changes before you have seen the dry run and started the job.
          </p>
        ) : undefined
      }
    >
      {step.kind === 'members' && (
        <>
          <MemberMultiPicker label="Members" value={members} onChange={setMembers} error={missing} scope={memberScope} />
          <FormError message={error} />
          <DialogButtons>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={pending} onClick={() => void dryRun()}>
              {pending ? 'Checking…' : 'Dry run'}
            </button>
          </DialogButtons>
        </>
      )}
      {step.kind === 'plan' && (
        <PlanReport
          plan={step.plan}
          pending={pending}
          error={error}
          lock={lock}
          onBack={() => setStep({ kind: 'members' })}
          onRun={() => void run()}
          verb={verb}
        />
      )}
      {step.kind === 'job' && (
        <>
          <JobView jobId={step.job.id} initial={step.job} onFinished={onFinished} lock={lock} />
          <DialogButtons>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </DialogButtons>
          <p className="field-hint">A running job keeps running when this is closed; every job stays listed under Recent jobs.</p>
        </>
      )}
    </Dialog>
  );
}

interface PlanReportProps {
  plan: BulkPlan;
  pending: boolean;
  error: string | null;
  lock: string | null;
  verb: string;
  onBack: () => void;
  onRun: () => void;
}

function PlanReport({ plan, pending, error, lock, verb, onBack, onRun }: PlanReportProps) {
  const names = plan.members.map((m) => m.username).join(', ');
  return (
    <section aria-label="Dry run" data-testid="dry-run">
      <h3 data-step-title tabIndex={-1}>
        Dry run: nothing has changed yet
      </h3>
      <p data-testid="dry-run-totals">
        {countText(plan.devices, 'device', 'devices')} × {countText(plan.members.length, 'member', 'members')} ({names}) ={' '}
        {countText(plan.pairs, 'pair', 'pairs')} to check. Each count below is of pairs, except the devices that will change.
      </p>
      <CountsList
        counts={plan}
        action={plan.action}
        planned
        label={plan.action === 'assign' ? 'Will assign, already assigned, refused' : 'Will unassign, not assigned, refused'}
      />
      {plan.refused.length > 0 && (
        <div className="refusals">
          <p>Will be refused, for whom, and why:</p>
          <RefusalList refused={plan.refused} label="Refusals" />
        </div>
      )}
      <FormError message={error} />
      {lock && <p className="form-error">{lock}</p>}
      <DialogButtons>
        <button type="button" onClick={onBack}>
          Back
        </button>
        <button type="button" className="primary" disabled={pending || plan.willChange === 0 || Boolean(lock)} onClick={onRun}>
          {pending ? 'Starting…' : plan.willChange === 0 ? 'Nothing would change' : `${verb}: run the job`}
        </button>
      </DialogButtons>
    </section>
  );
}
