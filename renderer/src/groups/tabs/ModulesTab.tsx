import { KIND_LABELS } from '../../../../shared/access/groups';
import { MODULES } from '../../../../shared/access/modules';
import type { TabProps } from './tab-props';

export function ModulesTab({ detail }: TabProps) {
  const kind = KIND_LABELS[detail.kind];
  return (
    <div className="tab-form">
      <table className="data-table">
        <caption>
          Console modules at a {kind.toLowerCase()} group. Which modules a group has depends on its kind; roles cannot grant a module the
          kind does not have.
        </caption>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">At this {kind.toLowerCase()}</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {detail.modules.map((m) => (
            <tr key={m.id}>
              <th scope="row">{m.label}</th>
              <td>
                <span className={`status-pill ${m.available ? 'ok' : 'off'}`}>{m.available ? 'Available' : 'Unavailable'}</span>
              </td>
              <td>
                {m.reason ?? (
                  <span className="muted">
                    {MODULES[m.id].endCustomerOnly ? 'End customers and the groups inside them have it' : 'Every kind of group has it'}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
