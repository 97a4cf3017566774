// The environment and demo-scenario pickers the QA panels share (the environments come from the store).
import { DEMO_ENV } from '../../../../shared/environment';
import { SCENARIOS, type ScenarioName } from '../../../../shared/scenarios';
import { useStore } from '../../store/store';

export function EnvSelect({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const entries = useStore((s) => s.environments.entries);
  return (
    <label className="field inline">
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

/** Demo only (the simulator plays scenarios); `none` = as recorded / as the script says. */
export function ScenarioSelect({ label, environment, value, onChange, none }: { label: string; environment: string; value: ScenarioName | undefined; onChange: (v: ScenarioName | undefined) => void; none: string }) {
  if (environment !== DEMO_ENV) return null;
  return (
    <label className="field inline">
      <span>{label}</span>
      <select aria-label={label} value={value ?? ''} onChange={(e) => onChange((e.target.value || undefined) as ScenarioName | undefined)}>
        <option value="">{none}</option>
        {SCENARIOS.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}
