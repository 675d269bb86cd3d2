import { childDn } from '../../../shared/directory/dn';
import { upsertFor } from '../../harness/commands';
import { openDirectorySuite, type DirectorySuite } from '../../harness/directory-suite';
import { rawClient, readEntry, startDc, stopDc, usersUnder } from '../../harness/samba-dc';

/**
 * The DC goes away while the agent is running: the command fails with a retryable error, and once the
 * DC is back the same command applies, exactly once. (Its own suite: stopping the DC breaks every
 * connection the suite holds.)
 */

let s: DirectorySuite;

beforeAll(async () => {
  s = await openDirectorySuite('Outage');
  await s.addOus('Staff');
});
afterAll(async () => s?.close().catch(() => undefined));

it('a stopped DC gives a retryable error; after restart the same command applies', async () => {
  const applier = s.newApplier();
  await applier.apply(upsertFor({ id: 'O0001', given: 'Warm', family: 'Up', ou: s.ou('Staff') }));
  const command = upsertFor({ id: 'O0002', given: 'Down', family: 'Time', ou: s.ou('Staff') });
  stopDc();
  try {
    const result = await applier.apply(command);
    expect(result).toMatchObject({ kind: 'Failed', retryable: true });
    expect(['ConnectionFailed', 'DirectoryUnavailable', 'Timeout']).toContain(
      result.kind === 'Failed' ? result.code : '',
    );
  } finally {
    startDc();
  }
  expect(await applier.apply(command)).toMatchObject({ kind: 'Applied', created: true });
  expect(await applier.apply(command)).toMatchObject({ kind: 'NoChange' });

  const client = await rawClient();
  try {
    expect(
      (await readEntry(client, childDn('CN', 'Down Time', s.ou('Staff')), ['userAccountControl']))?.useraccountcontrol,
    ).toEqual(['512']);
    expect(
      (await usersUnder(client, s.root, ['employeeID'])).filter((u) => u.employeeid?.[0] === 'O0002'),
    ).toHaveLength(1);
  } finally {
    await client.unbind();
  }
});
