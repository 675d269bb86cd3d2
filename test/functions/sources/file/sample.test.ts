/**
 * The bundled sample (examples/sample, see its README) tells the story its README promises: read by
 * the file source and planned with the sample's mapping on sample today (2026-12-01), then the changes
 * file planned against the first cycle's states.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileHrSource } from '../../../../functions/sources/file/file-hr-source';
import { fileSourceSettings } from '../../../../functions/sources/file/file-source-config';
import { compileMappingConfig, type CompiledMappingConfig } from '../../../../shared/mapping/config';
import { planCycle, type CycleResult } from '../../../../shared/planner/plan-cycle';
import type { LastKnownState, WorkerPlanResult } from '../../../../shared/planner/types';
import type { HrSnapshotRead } from '../../../../shared/ports/hr-source.port';

const SAMPLE = join(__dirname, '..', '..', '..', '..', 'examples', 'sample');
const NOW = new Date('2026-12-01T00:00:00Z');

async function readSample(file: string): Promise<HrSnapshotRead> {
  const settings = fileSourceSettings.parse({ id: 'sample', kind: 'csv', path: join(SAMPLE, file), source: 'hr-file' });
  const read = await new FileHrSource(settings).read();
  if (read.kind !== 'snapshot') throw new Error(read.reason);
  return read;
}

function sampleConfig(): CompiledMappingConfig {
  const compiled = compileMappingConfig(JSON.parse(readFileSync(join(SAMPLE, 'mapping-config.json'), 'utf8')));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return compiled.value;
}

function byId(cycle: CycleResult): Map<string, WorkerPlanResult> {
  return new Map(cycle.results.map((r) => [r.workerKey.replace(/^hr-file:/, ''), r]));
}

function stepsOf(result: WorkerPlanResult | undefined): string[] {
  return result?.plan?.steps.map((s) => `${s.purpose} ${s.dueAt}`) ?? [];
}

describe('the bundled sample', () => {
  const config = sampleConfig();
  let first: CycleResult;
  let second: CycleResult;
  let changes: HrSnapshotRead;

  beforeAll(async () => {
    const workers = await readSample('workers.csv');
    first = planCycle({ records: workers.records, states: new Map(), config, now: NOW });
    const states = new Map<string, LastKnownState>();
    for (const r of first.results) if (r.nextState) states.set(r.workerKey, r.nextState);
    changes = await readSample('changes.csv');
    second = planCycle({ records: changes.records, states, config, now: NOW });
  });

  it('workers.csv: 199 readable, valid workers, all new on sample today', async () => {
    const workers = await readSample('workers.csv');
    expect(workers.records).toHaveLength(199);
    expect(workers.rowIssues).toEqual([]);
    expect(first.quarantined).toEqual([]);
    expect(first.summary).toMatchObject({ joiner: 195, 'pre-hire': 3, 'no-op': 1 });
    expect(first.hold.held).toBe(false);
  });

  /** Id → classification and the plan's steps (purpose and due instant) on sample today. */
  const FIRST_CYCLE: [string, string, string[]][] = [
    ['E1900', 'pre-hire', ['create 2026-12-01T00:00:00.000Z', 'enable-at-start 2027-03-01T00:00:00.000Z']],
    ['E1108', 'joiner', ['create 2026-12-01T00:00:00.000Z', 'disable-at-termination 2026-12-11T13:00:00.000Z']],
    ['E1109', 'joiner', ['create 2026-12-01T00:00:00.000Z', 'disable-at-termination 2026-12-19T08:00:00.000Z']],
    ['E1115', 'joiner', ['create 2026-12-01T00:00:00.000Z', 'effective-change 2027-01-01T05:00:00.000Z']],
    ['E1111', 'no-op', []],
  ];

  it.each(FIRST_CYCLE)('workers.csv: %s is a %s with steps %j', (id, classification, steps) => {
    const result = byId(first).get(id);
    expect(result?.classification).toBe(classification);
    expect(stepsOf(result)).toEqual(steps);
  });

  it('workers.csv: non-Latin and accented names get ASCII identifiers; the two John Smiths the same candidates', () => {
    const results = byId(first);
    const sam = (id: string) => {
      const command = results.get(id)?.plan?.steps[0]?.command;
      return command?.kind === 'UpsertAccount' ? command.unique.sAMAccountName?.[0] : undefined;
    };
    expect(['E1102', 'E1103', 'E1104', 'E1105', 'E1107'].map(sam)).toEqual([
      'jmunoz',
      'zangstrom',
      'wwang',
      'divanov',
      'oragnarsson',
    ]);
    expect(sam('E1100')).toBe('jsmith');
    expect(sam('E1101')).toBe('jsmith');
  });

  it('changes.csv: the unreadable row is a row issue and the planner quarantines the impossible record', () => {
    expect(changes.records).toHaveLength(204);
    expect(changes.rowIssues).toEqual([
      {
        location: 'row 207',
        workerId: 'E1907',
        workerKey: 'hr-file:E1907',
        field: 'Start Date',
        message: '"13/01/2027" is not a date written YYYY-MM-DD',
      },
    ]);
    expect(second.quarantined.map((q) => [q.workerKey, q.issues.map((i) => i.path)])).toEqual([
      ['hr-file:E1908', ['terminationDate']],
    ]);
    expect(second.missing).toEqual([]);
  });

  /** Id → classification in the changes cycle, per the README's table. */
  const SECOND_CYCLE: [string, string][] = [
    ['E1120', 'mover'],
    ['E1121', 'mover'],
    ['E1122', 'mover'],
    ['E1123', 'mover'],
    ['E1124', 'leaver'],
    ['E1125', 'leaver'],
    ['E1126', 'name-change'],
    ['E1902', 'rescinded-hire'],
    ['E1111', 'pre-hire'],
    ['E1903', 'pre-hire'],
    ['E1904', 'pre-hire'],
    ['E1905', 'conversion'],
    ['E1906', 'rehire'],
    ['E1908', 'invalid'],
  ];

  it.each(SECOND_CYCLE)('changes.csv: %s is a %s', (id, classification) => {
    expect(byId(second).get(id)?.classification).toBe(classification);
  });

  it('changes.csv: everyone else is unchanged', () => {
    const changed = new Set(SECOND_CYCLE.map(([id]) => id));
    const others = [...byId(second)].filter(([id]) => !changed.has(id));
    expect(others.every(([, r]) => r.classification === 'no-op')).toBe(true);
    expect(others).toHaveLength(190);
  });

  it('changes.csv: an office change moves the account; the rehire and conversion reuse the former accounts', () => {
    const results = byId(second);
    expect(results.get('E1121')?.diff.parentOu).toEqual({
      before: 'OU=London,OU=Users,DC=contoso,DC=com',
      after: 'OU=Berlin,OU=Users,DC=contoso,DC=com',
    });
    expect(results.get('E1120')?.diff.parentOu).toBeUndefined();
    expect(results.get('E1906')?.reusesAccountOf).toBe('hr-file:E1110');
    expect(results.get('E1905')?.reusesAccountOf).toBe('hr-file:E1112');
    expect(stepsOf(results.get('E1123'))).toContain('effective-change 2027-01-03T13:00:00.000Z');
  });
});
