/** The body of a planning thread of `hr2ad preview` (see preview-thread.ts): one share, planned then rendered. */
import { parentPort, workerData } from 'node:worker_threads';
import { startSnapshotShare, type PreviewThreadData } from './parallel-preview';
import type { PreviewThreadAnswer, PreviewThreadRequest } from './preview-thread';

const port = parentPort!;
const answer = (message: PreviewThreadAnswer) => port.postMessage(message);
const share = startSnapshotShare(workerData as PreviewThreadData, (facts) => answer({ kind: 'facts', facts }));

port.on('message', (message: PreviewThreadRequest) => {
  if (message.kind === 'plan') answer({ kind: 'digests', digests: share.plan(message.selection) });
  else {
    for (const chunk of share.render(message.request)) answer({ kind: 'chunk', chunk });
    answer({ kind: 'end' });
  }
});
