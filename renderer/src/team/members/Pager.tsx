import { useTeam } from '../team-store';

const PAGE_SIZES = [25, 50, 100, 200];

/** "1–50 of 20,000", page size, previous and next: the server counts and pages, the pager only asks. */
export function Pager({ total }: { total: number }) {
  const { pageIndex, pageSize, setPage } = useTeam();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : pageIndex * pageSize + 1;
  const last = Math.min(total, (pageIndex + 1) * pageSize);

  return (
    <nav className="pager" aria-label="Pages of members">
      <p className="pager-range" aria-live="polite" data-testid="members-range">
        {total === 0
          ? 'No members'
          : `${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()} ${total === 1 ? 'member' : 'members'}`}
      </p>
      <label className="pager-size">
        Per page{' '}
        <select value={pageSize} onChange={(e) => setPage(0, Number(e.target.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => setPage(0)} disabled={pageIndex === 0} aria-label="First page">
        «
      </button>
      <button type="button" onClick={() => setPage(pageIndex - 1)} disabled={pageIndex === 0}>
        Previous
      </button>
      <span className="pager-page">
        Page {(pageIndex + 1).toLocaleString()} of {pages.toLocaleString()}
      </span>
      <button type="button" onClick={() => setPage(pageIndex + 1)} disabled={pageIndex + 1 >= pages}>
        Next
      </button>
      <button type="button" onClick={() => setPage(pages - 1)} disabled={pageIndex + 1 >= pages} aria-label="Last page">
        »
      </button>
    </nav>
  );
}
