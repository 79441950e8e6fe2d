interface TableHeadProps {
  columns: readonly string[];
  /** The name of a last column of row buttons: said to screen readers, not shown. */
  actions?: string;
}

/** A plain table's one header row: a header per column name, and a last column of row actions named only for screen readers. */
export function TableHead({ columns, actions }: TableHeadProps) {
  return (
    <thead>
      <tr>
        {columns.map((name) => (
          <th key={name} scope="col">
            {name}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span className="sr-only">{actions}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
