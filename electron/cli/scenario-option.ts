// The --scenario option of the commands that run the simulator: an unknown name is a usage error listing
// the valid ones. Apart from options.ts because the scenario list's schema loads zod, which `filter` does
// not need (issue 13).
import { ScenarioName, SCENARIOS } from '../../shared/scenarios';
import { UsageError } from './cli-io';

export function parseScenario(v: string | undefined): ScenarioName | undefined {
  if (v === undefined) return undefined;
  const r = ScenarioName.safeParse(v);
  if (!r.success) throw new UsageError(`unknown scenario "${v}"; valid: ${SCENARIOS.join(', ')}`);
  return r.data;
}
