import type { AppliedResult, CommandResult, UpsertAccount } from '../../../shared/protocol';
import { upsertFor, type Person } from '../../harness/commands';
import { openDirectorySuite, type DirectorySuite } from '../../harness/directory-suite';
import { readEntry } from '../../harness/samba-dc';

/**
 * Protocol 2: unique values that follow their candidates on update (`unique.follow`), read back over LDAPS.
 *
 * | account holds          | follow candidates (sAMAccountName / UPN)              | result                     |
 * |------------------------|-------------------------------------------------------|----------------------------|
 * | jdoe / john.doe@       | jsmith, jsmith1 / john.smith@, john.smith1@           | Applied: jsmith, john.smith@ |
 * | jdoe / john.doe@       | jsmith, jdoe / john.smith@, john.doe@ (current later) | NoChange (no churn)        |
 * | jdoe / john.doe@       | jsmith (taken), jsmith1 / john.smith@ (taken), …1@    | Applied: jsmith1, john.smith1@ |
 * | jdoe / john.doe@       | jsmith… but no follow (protocol 1)                    | NoChange: identifiers stay |
 */

let s: DirectorySuite;

beforeAll(async () => {
  s = await openDirectorySuite('UniqueFollow');
  await s.addOus('Staff');
});
afterAll(async () => s?.close());

function applied(result: CommandResult): AppliedResult {
  if (result.kind !== 'Applied') throw new Error(`expected Applied, got ${JSON.stringify(result)}`);
  return result;
}

const person = (id: string, family = 'Doe'): Person => ({ id, given: 'John', family, ou: s.ou('Staff') });

/** Creates John Doe as jdoe / john.doe@ (each test uses its own employeeID and suffix). */
async function createJohnDoe(id: string, suffix: string): Promise<AppliedResult> {
  const command = upsertFor(person(id), {
    unique: {
      sAMAccountName: [`jdoe${suffix}`],
      userPrincipalName: [`john.doe${suffix}@${s.realm}`],
      cn: [`John Doe ${suffix}`],
    },
  });
  const created = applied(await s.applier.apply(command));
  expect(created.chosen).toMatchObject({
    sAMAccountName: `jdoe${suffix}`,
    userPrincipalName: `john.doe${suffix}@${s.realm}`,
  });
  return created;
}

/** The same worker, now named Smith, with protocol-2 follow of sAMAccountName and userPrincipalName. */
function followCommand(id: string, suffix: string, sam: string[], upn: string[]): UpsertAccount {
  return upsertFor(person(id), {
    protocol: 2,
    unique: {
      sAMAccountName: sam.map((v) => `${v}${suffix}`),
      userPrincipalName: upn.map((v) => `${v}${suffix}@${s.realm}`),
      cn: [`John Doe ${suffix}`],
      follow: ['sAMAccountName', 'userPrincipalName'],
    },
  });
}

async function identifiers(dn: string) {
  const entry = await readEntry(s.client, dn, ['sAMAccountName', 'userPrincipalName']);
  return [entry?.samaccountname?.[0], entry?.userprincipalname?.[0]];
}

describe('unique.follow (protocol 2)', () => {
  it('renames to the first free candidates when the current values are no longer candidates', async () => {
    const created = await createJohnDoe('U1001', 'a');
    const result = applied(
      await s.applier.apply(followCommand('U1001', 'a', ['jsmith', 'jsmith1'], ['john.smith', 'john.smith1'])),
    );
    expect(result.created).toBe(false);
    expect(result.dn).toBe(created.dn);
    expect(result.chosen).toEqual({ sAMAccountName: 'jsmitha', userPrincipalName: `john.smitha@${s.realm}` });
    expect(result.changes).toEqual([
      { attribute: 'sAMAccountName', before: 'jdoea', after: 'jsmitha' },
      { attribute: 'userPrincipalName', before: `john.doea@${s.realm}`, after: `john.smitha@${s.realm}` },
    ]);
    expect(await identifiers(created.dn)).toEqual(['jsmitha', `john.smitha@${s.realm}`]);

    // Delivered again: nothing left to change.
    const again = await s.applier.apply(
      followCommand('U1001', 'a', ['jsmith', 'jsmith1'], ['john.smith', 'john.smith1']),
    );
    expect(again).toMatchObject({ kind: 'NoChange', dn: created.dn });
  });

  it('keeps the current values while they are still candidates, even when not first (no churn)', async () => {
    const created = await createJohnDoe('U2001', 'b');
    const result = await s.applier.apply(followCommand('U2001', 'b', ['jsmith', 'jdoe'], ['john.smith', 'john.doe']));
    expect(result).toMatchObject({ kind: 'NoChange', dn: created.dn });
    expect(await identifiers(created.dn)).toEqual(['jdoeb', `john.doeb@${s.realm}`]);
  });

  it('skips a first candidate another account holds and takes the next free one', async () => {
    // Someone else already is jsmithc / john.smithc@.
    await s.applier.apply(
      upsertFor(person('U3002', 'Smith'), {
        unique: {
          sAMAccountName: ['jsmithc'],
          userPrincipalName: [`john.smithc@${s.realm}`],
          cn: ['John Smith c'],
        },
      }),
    );
    const created = await createJohnDoe('U3001', 'c');
    const result = applied(
      await s.applier.apply(followCommand('U3001', 'c', ['jsmith', 'jsmith1'], ['john.smith', 'john.smith1'])),
    );
    expect(result.chosen).toEqual({ sAMAccountName: 'jsmith1c', userPrincipalName: `john.smith1c@${s.realm}` });
    expect(await identifiers(created.dn)).toEqual(['jsmith1c', `john.smith1c@${s.realm}`]);
  });

  it('without follow, the identifiers stay whatever the candidates say (protocol 1)', async () => {
    const created = await createJohnDoe('U4001', 'd');
    const command = followCommand('U4001', 'd', ['jsmith'], ['john.smith']);
    const { follow: _follow, ...unique } = command.unique;
    const result = await s.applier.apply({ ...command, protocol: 1, unique });
    expect(result).toMatchObject({ kind: 'NoChange', dn: created.dn });
    expect(await identifiers(created.dn)).toEqual(['jdoed', `john.doed@${s.realm}`]);
  });

  it('refuses follow in a protocol-1 payload before touching the directory', async () => {
    const created = await createJohnDoe('U5001', 'e');
    const command = followCommand('U5001', 'e', ['jsmith'], ['john.smith']);
    const result = await s.applier.applyPayload(JSON.stringify({ ...command, protocol: 1 }));
    expect(result).toMatchObject({ kind: 'Failed', code: 'ProtocolError', field: 'unique.follow' });
    expect(await identifiers(created.dn)).toEqual(['jdoee', `john.doee@${s.realm}`]);
  });
});
