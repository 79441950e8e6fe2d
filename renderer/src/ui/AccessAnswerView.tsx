import type { AccessAnswer, WhoCanAnswer } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

export function DecisionView({ answer, who, what }: { answer: AccessAnswer; who: string; what: string }) {
  return (
    <div className={`decision ${answer.allowed ? 'allowed' : 'denied'}`} role="status" data-testid="access-decision">
      <p className="decision-word">
        <span aria-hidden="true">{answer.allowed ? '✓' : '✕'}</span> {answer.allowed ? 'Allowed' : 'Denied'}
        <span className="decision-question">
          {' '}
          — {who}, {what}
        </span>
      </p>
      <p>{answer.explanation}</p>
      {answer.via && (
        <p className="muted">
          Decided by the role {answer.via.roleName} held at {answer.via.groupName}.
        </p>
      )}
      {answer.path.length > 0 && <p className="muted">Target’s place in the tree: {answer.path.map((p) => p.name).join(' › ')}</p>}
    </div>
  );
}

/** "And 3 people you may not see": who may, but is not named to this reader (R13). */
export function hiddenText(hidden: number): string {
  return `${hidden.toLocaleString()} ${hidden === 1 ? 'person' : 'people'} you may not see`;
}

export function WhoCanView({ result }: { result: Result<WhoCanAnswer> }) {
  if (!result.ok) return <p className="form-error">{result.error.message}</p>;
  const { subjects, hidden } = result.value;
  if (subjects.length === 0)
    return (
      <p className="empty-state" data-testid="who-can-none">
        {hidden > 0 ? `Nobody you can see; ${hiddenText(hidden)} may.` : 'Nobody may do this to this target.'}
      </p>
    );
  return (
    <>
      <table className="data-table">
        <caption className="sr-only">Who can</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Username</th>
            <th scope="col">Through the role</th>
            <th scope="col">Held at</th>
          </tr>
        </thead>
        <tbody>
          {subjects.map((s) => (
            <tr key={s.userId}>
              <th scope="row">{s.fullName}</th>
              <td>{s.username}</td>
              <td>{s.roleName}</td>
              <td>{s.groupName}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hidden > 0 && (
        <p className="muted" data-testid="who-can-hidden">
          Also {hiddenText(hidden)}.
        </p>
      )}
    </>
  );
}
