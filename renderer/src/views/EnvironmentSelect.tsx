// The one environment picker: the toolbar's and every QA panel's (record, replay, compare against). The
// environments come from the store, labelled as the environment list labels them.
import { useStore } from '../store/store';

export function EnvironmentSelect({ label, value, onChange, className }: { label: string; value: string; onChange: (name: string) => void; className?: string }) {
  const entries = useStore((s) => s.environments.entries);
  return (
    <label className={`field inline${className ? ` ${className}` : ''}`}>
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {entries.map((e) => (
          <option key={e.environment.name} value={e.environment.name}>
            {e.label}
          </option>
        ))}
      </select>
    </label>
  );
}
