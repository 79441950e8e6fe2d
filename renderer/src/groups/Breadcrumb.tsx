import type { GroupDetail } from '../../../shared/contract';

/** The path from the top the caller sees down to this group; ancestors open in the tree when clicked. */
export function Breadcrumb({ path, onPick }: { path: GroupDetail['path']; onPick: (id: string) => void }) {
  return (
    <nav aria-label="Group path" className="breadcrumb">
      <ol>
        {path.map((step, index) => (
          <li key={step.id}>
            {index === path.length - 1 ? (
              <span aria-current="page">{step.name}</span>
            ) : (
              <button type="button" className="link" onClick={() => onPick(step.id)}>
                {step.name}
              </button>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
