import { AREAS, PERMISSIONS, type AreaId } from '../../../shared/access/catalog';
import { SelectField } from '../ui/SelectField';

const GROUPED = (Object.keys(AREAS) as AreaId[])
  .map((area) => ({ area, label: AREAS[area], permissions: PERMISSIONS.filter((p) => p.area === area) }))
  .filter((g) => g.permissions.length > 0);

/** Every permission of the catalog, grouped by the area the role matrix shows it in. */
export function PermissionSelect({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (key: string) => void;
  error?: string | undefined;
}) {
  return (
    <SelectField label="Permission" value={value} onChange={onChange} error={error}>
      {GROUPED.map((group) => (
        <optgroup key={group.area} label={group.label}>
          {group.permissions.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label} ({p.key}){p.level === 'read' ? ' · read' : ' · full'}
            </option>
          ))}
        </optgroup>
      ))}
    </SelectField>
  );
}
