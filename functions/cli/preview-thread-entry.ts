/** The body of a planning thread of `hr2ad preview` (see preview-thread.ts): one share, planned then rendered. */
import { parentPort, workerData } from 'node:worker_threads';
import { startSnapshotShare, UnreadableShareError, type PreviewThreadData } from './parallel-preview';
import type { PreviewThreadAnswer, PreviewThreadRequest } from './preview-thread';

const port = parentPort!;
const answer = (message: PreviewThreadAnswer) => port.postMessage(message);
const utf8 = new TextEncoder();
const share = startedShare();

/** The share, or null when its records are not the JSON they should be (the other thread then reads the whole). */
function startedShare() {
  try {
    return startSnapshotShare(workerData as PreviewThreadData, (facts) => answer({ kind: 'facts', facts }));
  } catch (error) {
    if (!(error instanceof UnreadableShareError)) throw error;
    answer({ kind: 'unreadable' });
    return null;
  }
}

port.on('message', (message: PreviewThreadRequest) => {
  if (!share) return;
  if (message.kind === 'plan') answer({ kind: 'digests', digests: share.plan(message.selection) });
  else {
    // Encoded here, so the thread that writes the report only writes it; the bytes move, not copied.
    for (const text of share.render(message.request)) {
      const chunk = utf8.encode(text);
      port.postMessage({ kind: 'chunk', chunk } satisfies PreviewThreadAnswer, [chunk.buffer]);
    }
    answer({ kind: 'end' });
  }
});
