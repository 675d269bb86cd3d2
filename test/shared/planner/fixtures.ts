/** Shared fixtures for planner tests: a configuration like the shipped one, and workers to vary. */
import {
  compileMappingConfig,
  createDefaultMappingConfig,
  describeConfigIssues,
  type CompiledMappingConfig,
  type MappingConfigInput,
} from '../../../shared/mapping/config';
import { planCycle, type CycleResult, type LastKnownState, type WorkerPlanResult } from '../../../shared/planner';
import type { WorkerInput } from '../../../shared/worker';

export const DOMAIN = 'DC=corp,DC=example,DC=test';
export const USERS_OU = `OU=Users,${DOMAIN}`;
export const LONDON_OU = `OU=London,OU=Users,${DOMAIN}`;
export const SYDNEY_OU = `OU=Sydney,OU=Users,${DOMAIN}`;
export const DISABLED_OU = `OU=Disabled Users,${DOMAIN}`;
export const ENGINEERS = `CN=Engineers,OU=Groups,${DOMAIN}`;

/** The shipped defaults for corp.example.test, with London/Sydney/Seattle placement and zones. */
export function baseConfig(): MappingConfigInput {
  return createDefaultMappingConfig({
    domainDn: DOMAIN,
    upnSuffix: 'corp.example.test',
    locationOus: { London: LONDON_OU, Sydney: SYDNEY_OU },
    locationTimeZones: { London: 'Europe/London', Sydney: 'Australia/Sydney', Seattle: 'America/Los_Angeles' },
  });
}

/** Compiles a configuration derived from the base one; a broken fixture fails loudly. */
export function compile(change: (config: MappingConfigInput) => MappingConfigInput = (c) => c): CompiledMappingConfig {
  const loaded = compileMappingConfig(change(baseConfig()));
  if (!loaded.ok) throw new Error(describeConfigIssues(loaded.issues));
  return loaded.value;
}

export const CONFIG = compile();

/** Ada: an engineer in London, hired in 2024. */
export function ada(changes: Partial<WorkerInput> = {}): WorkerInput {
  return {
    source: 'workday',
    id: '1001',
    legalName: { first: 'Ada', last: 'Lovelace' },
    department: 'Engineering',
    title: 'Engineer',
    location: 'London',
    company: 'Contoso',
    managerId: '900',
    employeeType: 'employee',
    employmentStatus: 'active',
    hireDate: '2024-01-08',
    ...changes,
  };
}

/** One HR snapshot at one instant. */
export interface Cycle {
  readonly at: string;
  readonly records: readonly unknown[];
}

/**
 * Runs cycles in order, storing every accepted next state as the control plane would, and returns the
 * last cycle's result with the states it was planned against.
 */
export function runCycles(
  cycles: readonly Cycle[],
  config: CompiledMappingConfig = CONFIG,
): { result: CycleResult; before: Map<string, LastKnownState> } {
  let states = new Map<string, LastKnownState>();
  let result: CycleResult | undefined;
  let before = states;
  for (const cycle of cycles) {
    before = states;
    result = planCycle({ records: cycle.records, states, config, now: new Date(cycle.at) });
    states = new Map(states);
    for (const r of result.results) if (r.nextState && r.outcome !== 'held') states.set(r.workerKey, r.nextState);
  }
  return { result: result!, before };
}

export function resultFor(result: CycleResult, workerKey: string): WorkerPlanResult {
  const found = result.results.find((r) => r.workerKey === workerKey);
  if (!found) throw new Error(`no result for ${workerKey}`);
  return found;
}

/** Steps as [kind, purpose, due] where due is "now" for immediate steps. */
export function stepSummary(r: WorkerPlanResult): [string, string, string][] {
  return (r.plan?.steps ?? []).map((s) => [s.command.kind, s.purpose, s.immediate ? 'now' : s.dueAt]);
}
