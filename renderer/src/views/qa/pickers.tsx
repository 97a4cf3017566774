// The demo-scenario picker the QA panels share (the environment picker is views/EnvironmentSelect.tsx).
import { DEMO_ENV } from '../../../../shared/environment';
import { SCENARIOS, type ScenarioName } from '../../../../shared/scenarios';

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
