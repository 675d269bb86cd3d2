/**
 * What a connector reads for each kind of request, in one order for all of them: the named workers, a
 * sample (`hr2ad source test`), the changes since a cursor the connector can read, or everything.
 */
import type { HrRead, HrReadRequest } from '../../../shared/ports/hr-source.port';

export interface ConnectorReads<Cursor> {
  targeted(workerIds: readonly string[]): Promise<HrRead>;
  sample(count: number): Promise<HrRead>;
  /** Absent for a source without deltas: every read is whole. */
  changes?(since: Cursor): Promise<HrRead>;
  all(): Promise<HrRead>;
}

/**
 * The read `request` asks for. `decode` reads the stored cursor; null (an unreadable cursor) reads
 * everything again.
 */
export function readAsAsked<Cursor = string>(
  request: HrReadRequest,
  reads: ConnectorReads<Cursor>,
  decode: (since: string) => Cursor | null = (since) => since as Cursor,
): Promise<HrRead> {
  if (request.workerIds) return reads.targeted(request.workerIds);
  if (request.sample) return reads.sample(request.sample);
  const since = request.since && reads.changes ? decode(request.since) : null;
  return since !== null && reads.changes ? reads.changes(since) : reads.all();
}
