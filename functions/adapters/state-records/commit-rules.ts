import type { CycleCommit } from '../../../shared/ports/state-store.port';
import { InvalidDocumentError } from './row-codecs';

/** A commit moves its own source only: the cursor and every quarantine entry must be the cycle's source's. */
export function checkCommitSources({ cycle, cursor, quarantine }: CycleCommit): void {
  const foreign = [cursor?.sourceId, ...quarantine.map((q) => q.sourceId)].find(
    (id) => id !== undefined && id !== cycle.sourceId,
  );
  if (foreign !== undefined)
    throw new InvalidDocumentError(
      `commit of cycle ${cycle.cycleId} (source ${cycle.sourceId}) carries data of source ${foreign}`,
    );
}
