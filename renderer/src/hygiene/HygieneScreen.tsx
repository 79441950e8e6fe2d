import { useEffect, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { HygieneItem, HygieneReport, HygieneSection } from '../../../shared/contract';
import { DORMANT_DAYS } from '../../../shared/contract';
import { useOp } from '../data/query';
import { navigateTo } from '../routes/navigate';
import { paths } from '../routes/paths';
import { FormError } from '../ui/FormError';
import './hygiene.css';

type SectionKey = keyof HygieneReport;

/** What fixing an item means: open it somewhere, or only know about it (the screen to fix it is not built yet). */
type Fix = { kind: 'member' } | { kind: 'invitations' } | { kind: 'none' };

interface SectionSpec {
  key: SectionKey;
  title: string;
  /** Why it matters and how to fix it, above the items. */
  explain: string;
  fix: Fix;
  /** The words of the button that opens an item, before its name. */
  itemVerb?: string;
  /** Said of an item that cannot be opened. */
  itemNote?: string;
}

const SECTIONS: readonly SectionSpec[] = [
  {
    key: 'usersWithoutMfa',
    title: 'Users without two-step verification',
    explain:
      'These accounts have never set up an authenticator. Two-step verification is mandatory, so the person is asked to set it up at their next sign-in; an account nobody uses should have its login switched off. Open a member to reset their password, switch off their login or remove them.',
    fix: { kind: 'member' },
    itemVerb: 'Open',
  },
  {
    key: 'dormantAccounts',
    title: `No sign-in for ${DORMANT_DAYS} days`,
    explain: `Nobody has signed in to these accounts for ${DORMANT_DAYS} days or more. Open a member to switch off their login or remove them if they no longer need access.`,
    fix: { kind: 'member' },
    itemVerb: 'Open',
  },
  {
    key: 'pendingInvitations',
    title: 'Pending invitations',
    explain: 'Sent and not answered yet. Resend or revoke them in Team › Invitations.',
    fix: { kind: 'invitations' },
    itemVerb: 'Resend or revoke the invitation to',
  },
  {
    key: 'expiredInvitations',
    title: 'Expired invitations',
    explain: 'Their links expired before anyone used them. In Team › Invitations, choose Show › Expired, then resend or revoke them.',
    fix: { kind: 'invitations' },
    itemVerb: 'Resend or revoke the invitation to',
  },
  {
    key: 'unusedRoles',
    title: 'Roles no one holds',
    explain:
      'No one holds these roles. They grant nothing today, but they are easy to hand out by mistake. The roles editor is not built yet, so they are listed here to review; they cannot be changed from Steward yet.',
    fix: { kind: 'none' },
    itemNote: 'No one holds this role.',
  },
  {
    key: 'unassignedDevices',
    title: 'Unassigned devices',
    explain:
      'These devices are not assigned to anyone, so nobody answers for their backups. The device screens are not built yet: Steward cannot assign them from here yet. Each is listed with its group so you can follow them up.',
    fix: { kind: 'none' },
  },
];

/** Issue 7: what an administrator should tidy up within their scope, each item a click away from its fix. */
export function HygieneScreen() {
  // A command that changes people, invitations or roles refreshes the report (shared/contract/invalidation.ts).
  const query = useOp('access.hygiene', {});
  const report = query.isPending ? null : { value: query.data ?? null, error: query.error?.message ?? null };
  const loading = query.isFetching;

  function open(fix: Fix, item: HygieneItem | null) {
    if (fix.kind === 'member' && item) navigateTo(paths.person(item.id));
    else if (fix.kind === 'invitations') navigateTo(paths.invitations());
  }

  const value = report?.value ?? null;
  // The dashboard's tiles open a section (`?section=<key>`): once the report is shown, it is scrolled to and focused.
  const [params] = useSearchParams();
  const section = params.get('section');
  const shown = value !== null;
  useEffect(() => {
    if (shown && section && SECTIONS.some((s) => s.key === section)) jumpTo({ preventDefault: () => undefined }, section as SectionKey);
  }, [shown, section]);
  const problems = value ? SECTIONS.reduce((n, s) => n + value[s.key].total, 0) : 0;

  return (
    <div className="page hygiene">
      <div className="page-head hygiene-head">
        <h1>Access hygiene</h1>
        <button type="button" onClick={() => void query.refetch()} disabled={loading}>
          {loading && report ? 'Checking…' : 'Check again'}
        </button>
      </div>
      <p className="muted hygiene-intro">
        Accounts, invitations, roles and devices worth a look, within the groups you can see. Each item says how to fix it.
      </p>
      {!report ? (
        <p className="loading">Checking access…</p>
      ) : !value ? (
        <FormError message={`The access check could not run: ${report.error ?? ''}`} />
      ) : (
        <>
          <nav className="hygiene-summary" aria-label="Summary">
            <p className="hygiene-total" role="status">
              {problems === 0 ? 'Nothing to tidy up.' : `${problems.toLocaleString()} ${problems === 1 ? 'item' : 'items'} to look at.`}
            </p>
            <ul>
              {SECTIONS.map((s) => (
                <li key={s.key}>
                  <a href={`#hygiene-${s.key}`} onClick={(e) => jumpTo(e, s.key)}>
                    {s.title}
                  </a>{' '}
                  <Count n={value[s.key].total} />
                </li>
              ))}
            </ul>
          </nav>
          <div className={loading ? 'stale' : undefined}>
            {SECTIONS.map((spec) => (
              <Section key={spec.key} spec={spec} section={value[spec.key]} onOpen={(item) => open(spec.fix, item)} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

/** In-page links without touching the address (the console's own routes live in the hash). */
function jumpTo(event: { preventDefault(): void }, key: SectionKey) {
  event.preventDefault();
  const target = document.getElementById(`hygiene-${key}`);
  target?.scrollIntoView({ block: 'start' });
  target?.focus();
}

function Count({ n }: { n: number }) {
  return <span className={`tag hygiene-count${n > 0 ? ' has-items' : ''}`}>{n.toLocaleString()}</span>;
}

function Section({ spec, section, onOpen }: { spec: SectionSpec; section: HygieneSection; onOpen: (item: HygieneItem | null) => void }) {
  const headingId = `hygiene-${spec.key}-title`;
  let body: ReactNode;
  if (section.total === 0) body = <p className="hygiene-clear">Nothing here.</p>;
  else {
    body = (
      <>
        <ul className="hygiene-items">
          {section.items.map((item) => (
            <li key={item.id}>
              {spec.fix.kind === 'none' ? (
                <span className="hygiene-name">{item.name}</span>
              ) : (
                <button
                  type="button"
                  className="link hygiene-name"
                  aria-label={`${spec.itemVerb ?? 'Open'} ${item.name}`}
                  onClick={() => onOpen(item)}
                >
                  {item.name}
                </button>
              )}
              {item.detail && <span className="hygiene-detail">{item.detail}</span>}
              {spec.itemNote && <span className="hygiene-detail">{spec.itemNote}</span>}
            </li>
          ))}
        </ul>
        {section.total > section.items.length && (
          <p className="muted">
            Showing the first {section.items.length.toLocaleString()} of {section.total.toLocaleString()}.
            {spec.fix.kind === 'invitations' && ' Team › Invitations lists them all.'}
            {spec.fix.kind === 'member' && ' Team › Members lists them all.'}
          </p>
        )}
        {spec.fix.kind === 'invitations' && (
          <button type="button" onClick={() => onOpen(null)}>
            Open Team › Invitations
          </button>
        )}
      </>
    );
  }
  return (
    <section className="panel hygiene-section" id={`hygiene-${spec.key}`} tabIndex={-1} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {spec.title} <Count n={section.total} />
      </h2>
      <p className="hygiene-explain">{spec.explain}</p>
      {body}
    </section>
  );
}
