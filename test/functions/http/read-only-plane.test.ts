/**
 * A control plane started read-only (what `hr2ad status` starts when no `hr2ad run` is running) answers
 * the API from what is stored but does no due work: a step due while it runs stays pending, and runs once
 * a working control plane starts.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { api, workspace, type Workspace } from './fixtures/control-plane-workspace';

let ws: Workspace;
afterEach(() => ws.remove());

type Status = { lifecycle: { status: { pending: { kind: string }[] } }; outcomes: { kind: string }[] };

async function statusOf(plane: Awaited<ReturnType<Workspace['start']>>): Promise<Status> {
  return (await api(plane, 'GET', 'workers/hr:E1003', plane.token)).body as unknown as Status;
}

it('answers the API without firing a due step; a working control plane then fires it', async () => {
  ws = workspace();
  const first = await ws.start();
  await api(first, 'POST', 'sources/hr-file/sync', first.token);
  await first.whenIdle();
  await first.stop();

  ws.clock.set(new Date('2027-01-05T00:00:00Z'));
  const looking = await ws.start({ readOnly: true });
  const seen = await statusOf(looking);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // a working engine polls every 200 ms
  const after = await statusOf(looking);
  await looking.stop();
  expect(seen.lifecycle.status.pending.map((p) => p.kind)).toEqual(['EnableAccount']);
  expect(after.outcomes.map((o) => o.kind)).toEqual(['UpsertAccount']);

  const working = await ws.start();
  await working.whenIdle();
  const done = await statusOf(working);
  await working.stop();
  expect(done.outcomes.map((o) => o.kind)).toEqual(['EnableAccount', 'UpsertAccount']);
});
