/** Reading records from the configured sources for the API's one-worker routes. */
import type { ControlPlanePorts } from '../app/control-plane-ports';

interface FoundRecord {
  readonly sourceId: string;
  readonly record: { readonly source: string; readonly id: string };
}

function keyOf(record: unknown): string | null {
  if (typeof record !== 'object' || record === null) return null;
  const { source, id } = record as { source?: unknown; id?: unknown };
  return typeof source === 'string' && typeof id === 'string' ? `${source}:${id.trim()}` : null;
}

/** The worker's current record in the first source that has it. */
export async function findWorkerRecord(ports: ControlPlanePorts, workerKey: string): Promise<FoundRecord | null> {
  for (const { source } of ports.sources) {
    const read = await source.read();
    if (read.kind !== 'snapshot') continue;
    const record = read.records.find((r) => keyOf(r) === workerKey);
    if (record) return { sourceId: source.id, record: record as FoundRecord['record'] };
  }
  return null;
}

/** Every source's snapshot records, concatenated (suspect sources left out and named). */
export async function allRecords(ports: ControlPlanePorts): Promise<{ records: unknown[]; suspect: string[] }> {
  const records: unknown[] = [];
  const suspect: string[] = [];
  for (const { source } of ports.sources) {
    const read = await source.read();
    if (read.kind === 'snapshot') records.push(...read.records);
    else suspect.push(`${source.id}: ${read.reason}`);
  }
  return { records, suspect };
}
