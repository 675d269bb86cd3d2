import { childDn } from '../../../shared/directory/dn';
import type { CommandResult, UpsertAccount as Cmd } from '../../../shared/protocol';
import { DirectoryError, type Directory, type Modification } from '../../../agent/directory/directory.port';
import { LdaptsDirectory } from '../../../agent/directory/ldapts-directory';
import { silentLogger } from '../../../agent/logging/silent-logger';
import { disableFor, upsertFor } from '../../harness/commands';
import { openDirectorySuite, type DirectorySuite } from '../../harness/directory-suite';
import {
  addGroup,
  addMember,
  adminDirectory,
  connectionOptions,
  readEntry,
  setAttribute,
  usersUnder,
} from '../../harness/samba-dc';

/** Every refusal and failure the applier reports, with the state the directory is left in. */

let s: DirectorySuite;

beforeAll(async () => {
  s = await openDirectorySuite('Failures');
  await s.addOus('Staff', 'Other');
});
afterAll(async () => s?.close());

function failed(result: CommandResult) {
  if (result.kind !== 'Failed') throw new Error(`expected Failed, got ${JSON.stringify(result)}`);
  return result;
}

/** A user created behind hr2ad's back (another tool, an administrator). */
async function rawUser(parent: string, cn: string, sam: string, extra: Record<string, string> = {}): Promise<string> {
  const dn = childDn('CN', cn, parent);
  await s.client.add(dn, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: sam,
    ...extra,
  });
  return dn;
}

describe('name collisions', () => {
  it('uses the next candidate when sAMAccountName, UPN (explicit or implied) and cn are taken', async () => {
    await rawUser(s.ou('Staff'), 'Jane Doe', 'jdoe');
    await rawUser(s.ou('Other'), 'Someone Else', 'selse', { userPrincipalName: `jdoe1@${s.realm}` });
    const command = upsertFor({ id: 'F1001', given: 'Jane', family: 'Doe', ou: s.ou('Staff') });
    const result = await s.applier.apply(command);
    expect(result).toMatchObject({
      kind: 'Applied',
      // jdoe is taken; jdoe1 is the implied UPN prefix of another account; jdoe2 is free.
      chosen: { sAMAccountName: 'jdoe2', userPrincipalName: `jdoe2@${s.realm}`, cn: 'Jane Doe (2)' },
    });
  });

  it('all candidates taken: a clear error naming the field, nothing created', async () => {
    for (const sam of ['pfull', 'pfull1', 'pfull2']) await rawUser(s.ou('Other'), `Taken ${sam}`, sam);
    const result = failed(
      await s.applier.apply(upsertFor({ id: 'F1002', given: 'Pat', family: 'Full', ou: s.ou('Staff') })),
    );
    expect(result).toMatchObject({ code: 'UniqueValuesExhausted', retryable: false, field: 'unique.sAMAccountName' });
    expect(result.message).toContain('pfull, pfull1, pfull2');
    expect(
      await usersUnder(s.client, s.ou('Staff'), ['employeeID']).then((u) =>
        u.filter((x) => x.employeeid?.[0] === 'F1002'),
      ),
    ).toEqual([]);
  });
});

describe('invalid values are refused before they reach the directory', () => {
  const base = () => upsertFor({ id: 'F2001', given: 'Val', family: 'Idation', ou: s.ou('Staff') });
  it.each([
    [
      'a 21-character sAMAccountName',
      (b: Cmd) => ({ unique: { ...b.unique, sAMAccountName: ['abcdefghijklmnopqrstu'] } }),
      'unique.sAMAccountName[0]',
      /at most 20/,
    ],
    [
      'a sAMAccountName with "/"',
      (b: Cmd) => ({ unique: { ...b.unique, sAMAccountName: ['a/b'] } }),
      'unique.sAMAccountName[0]',
      /may not contain "\/"/,
    ],
    [
      'a sAMAccountName with "*"',
      (b: Cmd) => ({ unique: { ...b.unique, sAMAccountName: ['ok', 'a*b'] } }),
      'unique.sAMAccountName[1]',
      /"\*"/,
    ],
    [
      'a 65-character cn',
      (b: Cmd) => ({ unique: { ...b.unique, cn: ['x'.repeat(65)] } }),
      'unique.cn[0]',
      /at most 64/,
    ],
    [
      'a UPN with a space',
      (b: Cmd) => ({ unique: { ...b.unique, userPrincipalName: ['val idation@corp.example.test'] } }),
      'unique.userPrincipalName[0]',
      /local part/,
    ],
    [
      'a 17-character employeeID',
      () => ({ attributes: { always: {}, onCreate: { employeeID: 'E'.repeat(17) } } }),
      'attributes.onCreate.employeeID',
      /at most 16/,
    ],
    [
      'a 65-character department',
      () => ({ attributes: { always: { department: 'd'.repeat(65) }, onCreate: {} } }),
      'attributes.always.department',
      /at most 64/,
    ],
    [
      'a reserved attribute',
      () => ({ attributes: { always: { userAccountControl: '66048' }, onCreate: {} } }),
      'attributes.always.userAccountControl',
      /own fields/,
    ],
  ] as Array<[string, (b: Cmd) => Partial<Cmd>, string, RegExp]>)('%s', async (_name, override, field, message) => {
    const b = base();
    const result = failed(await s.applier.apply({ ...b, ...override(b) }));
    expect(result).toMatchObject({ code: 'InvalidValue', retryable: false, field });
    expect(result.message).toMatch(message);
  });

  it('an attribute unknown to the schema names the attribute', async () => {
    const command = upsertFor({ id: 'F2002', given: 'Un', family: 'Known', ou: s.ou('Staff') });
    const result = failed(
      await s.applier.apply({
        ...command,
        attributes: { ...command.attributes, always: { ...command.attributes.always, fooBar: 'x' } },
      }),
    );
    expect(result).toMatchObject({ code: 'UnknownAttribute', field: 'fooBar' });
  });
});

describe('targets', () => {
  it('unknown OU', async () => {
    const result = failed(
      await s.applier.apply(upsertFor({ id: 'F3001', given: 'No', family: 'Where', ou: s.ou('Nope') })),
    );
    expect(result).toMatchObject({ code: 'ParentNotFound', field: 'parentOu' });
    expect(result.message).toContain('OU=Nope');
  });

  it('a parent OU outside the allowed OUs', async () => {
    const result = failed(
      await s.applier.apply(upsertFor({ id: 'F3002', given: 'Out', family: 'Side', ou: `CN=Users,${s.domainDn}` })),
    );
    expect(result).toMatchObject({ code: 'OutsideAllowedOus', field: 'parentOu' });
  });

  it('an existing account outside the allowed OUs is refused, not duplicated', async () => {
    await rawUser(`CN=Users,${s.domainDn}`, 'Legacy User', 'legacy', { employeeID: 'F3003' });
    const result = failed(
      await s.applier.apply(upsertFor({ id: 'F3003', given: 'Legacy', family: 'User', ou: s.ou('Staff') })),
    );
    expect(result).toMatchObject({ code: 'OutsideAllowedOus', field: 'account' });
  });

  it('a move target outside the allowed OUs', async () => {
    await s.applier.apply(upsertFor({ id: 'F3004', given: 'Move', family: 'Out', ou: s.ou('Staff') }));
    expect(failed(await s.applier.apply(disableFor('F3004', `CN=Users,${s.domainDn}`)))).toMatchObject({
      code: 'OutsideAllowedOus',
      field: 'moveTo',
    });
  });

  it('ambiguous match', async () => {
    await rawUser(s.ou('Staff'), 'Twin One', 'twin1', { employeeID: 'F3005' });
    await rawUser(s.ou('Other'), 'Twin Two', 'twin2', { employeeID: 'F3005' });
    const result = failed(
      await s.applier.apply(upsertFor({ id: 'F3005', given: 'Twin', family: 'Three', ou: s.ou('Staff') })),
    );
    expect(result).toMatchObject({ code: 'AmbiguousMatch', field: 'match[0]' });
    expect(result.message).toContain('2 accounts');
  });
});

describe('protected accounts and groups', () => {
  /** A group in an allowed OU that is itself a member of Domain Admins. */
  async function elevatedGroup(cn: string, sam: string): Promise<string> {
    const dn = childDn('CN', cn, s.ou('Other'));
    await addGroup(s.client, dn, sam);
    await addMember(s.client, `CN=Domain Admins,CN=Users,${s.domainDn}`, dn);
    return dn;
  }

  it('refuses an account with adminCount=1', async () => {
    await rawUser(s.ou('Staff'), 'Admin Count', 'admcount', { employeeID: 'F4001', adminCount: '1' });
    expect(
      failed(await s.applier.apply(upsertFor({ id: 'F4001', given: 'Admin', family: 'Count', ou: s.ou('Staff') }))),
    ).toMatchObject({ code: 'ProtectedAccount' });
    expect(failed(await s.applier.apply(disableFor('F4001')))).toMatchObject({ code: 'ProtectedAccount' });
  });

  it('refuses a member of a privileged group, also through a nested group', async () => {
    const nested = await elevatedGroup('Helpdesk Elevated', 'helpdesk-elevated');
    const dn = await rawUser(s.ou('Staff'), 'Nested Admin', 'nestadm', { employeeID: 'F4002' });
    await addMember(s.client, nested, dn);
    const result = failed(await s.applier.apply(disableFor('F4002')));
    expect(result).toMatchObject({ code: 'ProtectedAccount' });
    expect(result.message).toContain(`CN=Domain Admins,CN=Users,${s.domainDn}`);
    expect((await readEntry(s.client, dn, ['userAccountControl']))!.useraccountcontrol).toEqual(['546']);
  });

  it('a refused group leaves an existing account untouched (no partial apply)', async () => {
    const nested = await elevatedGroup('Server Elevated', 'server-elevated');
    const person = { id: 'F4004', given: 'Part', family: 'Ial', ou: s.ou('Staff'), department: 'Before' };
    const created = await s.applier.apply(upsertFor(person));
    expect(created.kind).toBe('Applied');
    const command = upsertFor(
      { ...person, department: 'After', ou: s.ou('Other') },
      { groups: { managed: [nested], memberOf: [nested] } },
    );
    expect(failed(await s.applier.apply(command))).toMatchObject({
      code: 'ProtectedAccount',
      field: 'groups.managed[0]',
    });
    const entry = await readEntry(s.client, childDn('CN', 'Part Ial', s.ou('Staff')), ['department']);
    expect(entry?.department).toEqual(['Before']);
  });

  it('refuses to manage a group that leads to privilege', async () => {
    const nested = await elevatedGroup('Desktop Elevated', 'desktop-elevated');
    const command = upsertFor(
      { id: 'F4003', given: 'Group', family: 'Seeker', ou: s.ou('Staff') },
      { groups: { managed: [nested], memberOf: [nested] } },
    );
    expect(failed(await s.applier.apply(command))).toMatchObject({
      code: 'ProtectedAccount',
      field: 'groups.managed[0]',
    });
  });
});

describe('password rejected by policy', () => {
  afterEach(async () => setAttribute(s.client, s.domainDn, 'minPwdLength', ['7']));

  it('fails clearly, leaves the account disabled, and the next delivery finishes it', async () => {
    await setAttribute(s.client, s.domainDn, 'minPwdLength', ['30']);
    const command = upsertFor({ id: 'F5001', given: 'Pass', family: 'Word', ou: s.ou('Staff') });
    const result = failed(await s.applier.apply(command));
    expect(result).toMatchObject({ code: 'PasswordRejected', retryable: false, field: 'password' });
    expect(result.message).toMatch(/password policy/);
    const dn = childDn('CN', 'Pass Word', s.ou('Staff'));
    expect((await readEntry(s.client, dn, ['userAccountControl']))!.useraccountcontrol).toEqual(['546']);

    await setAttribute(s.client, s.domainDn, 'minPwdLength', ['7']);
    const again = await s.applier.apply(command);
    expect(again).toMatchObject({ kind: 'Applied', created: true, dn });
    expect(await readEntry(s.client, dn, ['userAccountControl', 'pwdLastSet'])).toMatchObject({
      useraccountcontrol: ['512'],
      pwdlastset: ['0'],
    });
    const all = await usersUnder(s.client, s.root, ['employeeID']);
    expect(all.filter((u) => u.employeeid?.[0] === 'F5001')).toHaveLength(1);
  });
});

/** Wraps the real directory and breaks the connection right after the nth operation of a kind. */
function crashingAfter(directory: Directory, when: (m: readonly Modification[]) => boolean): Directory {
  return {
    search: (r) => directory.search(r),
    add: (dn, a) => directory.add(dn, a),
    modify: async (dn, m) => {
      if (when(m)) throw new DirectoryError('ConnectionFailed', `modify ${dn}: connection reset`, true);
      return directory.modify(dn, m);
    },
    move: (a, b) => directory.move(a, b),
    delete: (dn) => directory.delete(dn),
    highestCommittedUsn: () => directory.highestCommittedUsn(),
    close: () => directory.close(),
  };
}

describe('directory down', () => {
  it('a crash between the add and the password leaves an account the next delivery finishes — once', async () => {
    const broken = s.newApplier({
      directory: crashingAfter(adminDirectory(), (m) => m.some((x) => x.operation === 'setPassword')),
    });
    const command = upsertFor({ id: 'F6001', given: 'Half', family: 'Made', ou: s.ou('Staff') });
    expect(failed(await broken.apply(command))).toMatchObject({ code: 'ConnectionFailed', retryable: true });
    const dn = childDn('CN', 'Half Made', s.ou('Staff'));
    expect((await readEntry(s.client, dn, ['userAccountControl']))!.useraccountcontrol).toEqual(['546']);

    const healthy = s.newApplier();
    expect(await healthy.apply(command)).toMatchObject({ kind: 'Applied', created: true, dn, chosen: {} });
    expect(await healthy.apply(command)).toMatchObject({ kind: 'NoChange', dn });
    expect((await readEntry(s.client, dn, ['userAccountControl']))!.useraccountcontrol).toEqual(['512']);
    const all = await usersUnder(s.client, s.root, ['employeeID']);
    expect(all.filter((u) => u.employeeid?.[0] === 'F6001')).toHaveLength(1);
  });
});

describe('transport security', () => {
  it('refuses a DC certificate it cannot verify (no CA given)', async () => {
    const options = connectionOptions();
    const directory = new LdaptsDirectory({ ...options, tls: {} }, silentLogger);
    const applier = s.newApplier({ directory });
    expect(failed(await applier.apply(disableFor('F7001')))).toMatchObject({
      code: 'TlsVerificationFailed',
      retryable: false,
    });
  });

  it('refuses plain ldap:// unless explicitly allowed', () => {
    expect(() => new LdaptsDirectory({ ...connectionOptions(), url: 'ldap://127.0.0.1:389' }, silentLogger)).toThrow(
      /allowPlaintext/,
    );
  });

  it('logs loudly when verification is turned off', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const directory = new LdaptsDirectory({ ...connectionOptions(), tls: { verifyCertificate: false } }, logger);
    await directory.highestCommittedUsn();
    await directory.close();
    expect(warnings.join('\n')).toMatch(/verification is DISABLED/);
  });
});

describe('protocol', () => {
  it('an expired command is refused before anything is read', async () => {
    const command = {
      ...upsertFor({ id: 'F8001', given: 'Too', family: 'Late', ou: s.ou('Staff') }),
      expiresAt: '2000-01-01T00:00:00Z',
    };
    expect(failed(await s.applier.apply(command))).toMatchObject({ code: 'Expired', field: 'expiresAt' });
  });

  it('malformed payloads become a protocol error naming the field', async () => {
    const command = upsertFor({ id: 'F8002', given: 'Bad', family: 'Shape', ou: s.ou('Staff') });
    expect(failed(await s.applier.applyPayload({ ...command, enabled: 'yes' }))).toMatchObject({
      code: 'ProtocolError',
      field: 'enabled',
    });
    expect(failed(await s.applier.applyPayload('{not json'))).toMatchObject({ code: 'ProtocolError' });
    expect(failed(await s.applier.applyPayload({ ...command, kind: 'FormatDisk' }))).toMatchObject({
      code: 'ProtocolError',
      field: 'kind',
    });
    expect(failed(await s.applier.applyPayload({ ...command, protocol: 3 }))).toMatchObject({
      code: 'UnsupportedVersion',
    });
  });
});
