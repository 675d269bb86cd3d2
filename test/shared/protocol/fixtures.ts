import type { CommandResult, DirectoryCommandInput } from '../../../shared/protocol';

/** Valid protocol-1 commands of every kind, as the control plane writes them (defaults left out where allowed). */

const envelope = {
  protocol: 1,
  commandId: 'cmd-0001',
  workerKey: 'workday:100234',
  sequence: 7,
  issuedAt: '2025-03-01T08:00:00Z',
  expiresAt: '2025-03-02T08:00:00.000+01:00',
  match: [
    { attribute: 'employeeID', value: '100234' },
    { attribute: 'mail', value: 'jane.doe@corp.example.test' },
  ],
} as const;

export function upsertInput(): Extract<DirectoryCommandInput, { kind: 'UpsertAccount' }> {
  return {
    kind: 'UpsertAccount',
    ...envelope,
    match: [...envelope.match],
    parentOu: 'OU=Users,OU=hr2ad,DC=corp,DC=example,DC=test',
    attributes: {
      always: {
        givenName: 'Jane',
        sn: 'Doe',
        displayName: 'Jane Doe',
        department: null,
        proxyAddresses: ['SMTP:jane@x.test', 'smtp:jd@x.test'],
      },
      onCreate: { employeeID: '100234' },
    },
    unique: {
      sAMAccountName: ['jdoe', 'jdoe1'],
      userPrincipalName: ['jdoe@corp.example.test'],
      cn: ['Jane Doe', 'Jane Doe (2)'],
    },
    enabled: true,
    password: { kind: 'generated' },
  };
}

export function validInputs(): Record<DirectoryCommandInput['kind'], DirectoryCommandInput> {
  return {
    UpsertAccount: upsertInput(),
    DisableAccount: {
      kind: 'DisableAccount',
      ...envelope,
      match: [...envelope.match],
      moveTo: 'OU=Disabled,DC=corp,DC=example,DC=test',
    },
    EnableAccount: { kind: 'EnableAccount', ...envelope, match: [...envelope.match] },
    DeleteAccount: { kind: 'DeleteAccount', ...envelope, match: [...envelope.match] },
    LookupAccount: { kind: 'LookupAccount', ...envelope, match: [...envelope.match] },
  };
}

const resultEnvelope = { commandId: 'cmd-0001', workerKey: 'workday:100234', sequence: 7 };
const guid = '33221100-5544-7766-8899-aabbccddeeff';
const dn = 'CN=Jane Doe,OU=Users,OU=hr2ad,DC=corp,DC=example,DC=test';

/** Valid results of every kind (and the optional parts both present and absent). */
export function validResults(): Record<string, CommandResult> {
  return {
    'Applied (created)': {
      kind: 'Applied',
      ...resultEnvelope,
      dn,
      objectGUID: guid,
      created: true,
      deleted: false,
      changes: [
        { attribute: 'givenName', before: null, after: 'Jane' },
        { attribute: 'proxyAddresses', before: ['smtp:a@x.test'], after: ['SMTP:jane@x.test'] },
      ],
      chosen: { sAMAccountName: 'jdoe1', userPrincipalName: 'jdoe@corp.example.test', cn: 'Jane Doe' },
      groupsAdded: ['CN=Staff,OU=Groups,DC=corp'],
      groupsRemoved: [],
      pending: [{ kind: 'ManagerNotFound', attribute: 'employeeID', value: '100001' }],
    },
    'Applied (moved)': {
      kind: 'Applied',
      ...resultEnvelope,
      dn,
      objectGUID: guid,
      created: false,
      deleted: false,
      changes: [],
      moved: { from: 'CN=Jane Doe,OU=Old,DC=corp', to: dn },
      chosen: {},
      groupsAdded: [],
      groupsRemoved: ['CN=Old,OU=Groups,DC=corp'],
      pending: [],
    },
    'NoChange (account)': { kind: 'NoChange', ...resultEnvelope, dn, objectGUID: guid, pending: [] },
    'NoChange (already gone)': { kind: 'NoChange', ...resultEnvelope, pending: [] },
    'Failed (with field)': {
      kind: 'Failed',
      ...resultEnvelope,
      code: 'OutsideAllowedOus',
      retryable: false,
      message: 'parentOu: OU=Admins,DC=corp is outside the OUs this agent may manage',
      field: 'parentOu',
    },
    'Failed (retryable)': {
      kind: 'Failed',
      ...resultEnvelope,
      code: 'DirectoryUnavailable',
      retryable: true,
      message: 'search: unavailable',
    },
    'LookedUp (found)': {
      kind: 'LookedUp',
      ...resultEnvelope,
      account: {
        dn,
        objectGUID: guid,
        enabled: false,
        attributes: { mail: 'jane@x.test', memberOf: ['CN=a', 'CN=b'], title: null },
      },
    },
    'LookedUp (not found)': { kind: 'LookedUp', ...resultEnvelope, account: null },
  };
}
