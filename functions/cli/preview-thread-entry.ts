/** The body of a planning thread of `hr2ad preview` (see preview-thread.ts): one share, planned then rendered. */
import { parentPort, workerData } from 'node:worker_threads';
import type { SnapshotShare } from '../../shared/planner/preview-shard';
import { ChunkGatherer } from './chunk-gatherer';
import {
  startSnapshotShare,
  threadConfig,
  UnreadableShareError,
  type PreviewThreadData,
  type ShareRecords,
} from './parallel-preview';
import { packDigests, packFacts } from './packed-columns';
import type { PreviewThreadAnswer, PreviewThreadRequest } from './preview-thread';

const port = parentPort!;
const answer = (message: PreviewThreadAnswer) => port.postMessage(message);
const data = workerData as PreviewThreadData;
// Compiled before the records come: the coordinating thread is reading and splitting the snapshot meanwhile.
const config = threadConfig(data);
let share: SnapshotShare | null = null;

/** The share, or null when its records are not the JSON they should be (the other thread then reads the whole). */
function startedShare(given: ShareRecords): SnapshotShare | null {
  try {
    return startSnapshotShare(config, data, given, {
      facts: (facts) => answer({ kind: 'facts', facts: packFacts(facts) }),
      planned: (digests) => answer({ kind: 'digests', digests: packDigests(digests) }),
    });
  } catch (error) {
    if (!(error instanceof UnreadableShareError)) throw error;
    answer({ kind: 'unreadable' });
    return null;
  }
}

port.on('message', (message: PreviewThreadRequest) => {
  if (message.kind === 'records') share = startedShare(message.given);
  else if (!share) return;
  else if (message.kind === 'plan') {
    // A share that planned ahead handed its digests over already; it only leaves out what was not chosen.
    const digests = share.plan(message.selection);
    if (!data.settings.planAhead) answer({ kind: 'digests', digests: packDigests(digests) });
  } else {
    // Encoded and gathered here, so the thread that writes the report only writes it; the chunks move, not copied.
    const chunks = new ChunkGatherer();
    const send = (last: boolean) => {
      for (const chunk of chunks.take(last))
        port.postMessage({ kind: 'chunk', chunk } satisfies PreviewThreadAnswer, [chunk.buffer]);
    };
    for (const part of share.render(message.request)) {
      chunks.add(part);
      send(false);
    }
    send(true);
    answer({ kind: 'end' });
  }
});
