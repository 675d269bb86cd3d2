import fc from 'fast-check';
import {
  ERROR_CODE_NAMES,
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  decodeCommand,
  protocolVersionFor,
  decodeResult,
  type DirectoryCommandInput,
} from '../../../shared/protocol';
import { upsertInput, validInputs, validResults } from './fixtures';

// ---------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------

const KINDS = ['UpsertAccount', 'DisableAccount', 'EnableAccount', 'DeleteAccount', 'LookupAccount'] as const;

type Json = Record<string, unknown>;
const upsert = (): Json => upsertInput() as unknown as Json;
const lookup = (): Json => validInputs().LookupAccount as unknown as Json;
const uniqueOf = (command: Json): Json => command.unique as Json;

/**
 * [case, payload, expected code, the path of an issue that must be reported, text the message must hold]
 * Payloads are built lazily so each row gets a fresh copy.
 */
const REJECTIONS: ReadonlyArray<
  readonly [string, () => unknown, 'ProtocolError' | 'UnsupportedVersion', string, RegExp]
> = [
  [
    'enabled is not a boolean',
    () => ({ ...upsert(), enabled: 'yes' }),
    'ProtocolError',
    'enabled',
    /enabled: .*boolean/,
  ],
  [
    'enabled is missing',
    () => {
      const c = upsert();
      delete c.enabled;
      return c;
    },
    'ProtocolError',
    'enabled',
    /enabled/,
  ],
  [
    'match attribute is not an attribute name',
    () => ({ ...upsert(), match: [{ attribute: 'cn)(x', value: 'a' }] }),
    'ProtocolError',
    'match.0.attribute',
    /match\.0\.attribute: must be an LDAP attribute name/,
  ],
  [
    'second match key has an empty value',
    () => ({
      ...upsert(),
      match: [
        { attribute: 'cn', value: 'a' },
        { attribute: 'cn', value: '' },
      ],
    }),
    'ProtocolError',
    'match.1.value',
    /match\.1\.value/,
  ],
  ['match is empty', () => ({ ...upsert(), match: [] }), 'ProtocolError', 'match', /match/],
  [
    'match has nine keys',
    () => ({ ...upsert(), match: Array.from({ length: 9 }, (_, i) => ({ attribute: 'cn', value: `v${i}` })) }),
    'ProtocolError',
    'match',
    /match/,
  ],
  [
    'match key has an unknown field',
    () => ({ ...upsert(), match: [{ attribute: 'cn', value: 'a', op: 'like' }] }),
    'ProtocolError',
    'match.0',
    /"op"/,
  ],
  [
    'no sAMAccountName candidates',
    () => ({ ...upsert(), unique: { ...(upsert().unique as Json), sAMAccountName: [] } }),
    'ProtocolError',
    'unique.sAMAccountName',
    /unique\.sAMAccountName/,
  ],
  [
    'an empty sAMAccountName candidate',
    () => ({ ...upsert(), unique: { ...(upsert().unique as Json), sAMAccountName: ['ok', ''] } }),
    'ProtocolError',
    'unique.sAMAccountName.1',
    /unique\.sAMAccountName\.1/,
  ],
  [
    'unknown kind',
    () => ({ ...upsert(), kind: 'RenameAccount' }),
    'ProtocolError',
    'kind',
    /invalid RenameAccount cmd-0001: kind: /,
  ],
  [
    'kind is missing',
    () => {
      const c = upsert();
      delete c.kind;
      return c;
    },
    'ProtocolError',
    'kind',
    /kind/,
  ],
  ['unknown top-level key', () => ({ ...upsert(), runAs: 'Administrator' }), 'ProtocolError', '(root)', /"runAs"/],
  [
    'unknown key on a kind that does not have it',
    () => ({ ...(validInputs().DeleteAccount as unknown as Json), moveTo: 'OU=x,DC=y' }),
    'ProtocolError',
    '(root)',
    /"moveTo"/,
  ],
  [
    'unknown nested key',
    () => ({ ...upsert(), password: { kind: 'generated', value: 'Secret1!' } }),
    'ProtocolError',
    'password',
    /"value"/,
  ],
  [
    'unknown password kind',
    () => ({ ...upsert(), password: { kind: 'fixed' } }),
    'ProtocolError',
    'password.kind',
    /password\.kind/,
  ],
  [
    'password too short',
    () => ({ ...upsert(), password: { kind: 'generated', length: 7 } }),
    'ProtocolError',
    'password.length',
    /password\.length/,
  ],
  [
    'bad attribute name in a map',
    () => ({ ...upsert(), attributes: { always: { 'bad key': 'x' }, onCreate: {} } }),
    'ProtocolError',
    'attributes.always.bad key',
    /attributes\.always/,
  ],
  [
    'attribute value is a number',
    () => ({ ...upsert(), attributes: { always: { title: 5 }, onCreate: {} } }),
    'ProtocolError',
    'attributes.always.title',
    /attributes\.always\.title/,
  ],
  [
    'memberOf a group not in managed',
    () => ({
      ...upsert(),
      groups: { managed: ['CN=Staff,OU=G,DC=corp'], memberOf: ['CN=Domain Admins,CN=Users,DC=corp'] },
    }),
    'ProtocolError',
    'groups.memberOf',
    /groups\.memberOf: every group in memberOf must also be in managed/,
  ],
  ['sequence is negative', () => ({ ...upsert(), sequence: -1 }), 'ProtocolError', 'sequence', /sequence/],
  ['sequence is fractional', () => ({ ...upsert(), sequence: 1.5 }), 'ProtocolError', 'sequence', /sequence/],
  [
    'issuedAt is not an instant',
    () => ({ ...upsert(), issuedAt: 'yesterday' }),
    'ProtocolError',
    'issuedAt',
    /issuedAt/,
  ],
  [
    'expiresAt has no offset',
    () => ({ ...upsert(), expiresAt: '2025-03-02T08:00:00' }),
    'ProtocolError',
    'expiresAt',
    /expiresAt/,
  ],
  [
    'lookup attribute is not a name',
    () => ({ ...lookup(), attributes: ['mail', '*'] }),
    'ProtocolError',
    'attributes.1',
    /attributes\.1/,
  ],
  [
    'protocol is missing',
    () => {
      const c = upsert();
      delete c.protocol;
      return c;
    },
    'ProtocolError',
    'protocol',
    /protocol/,
  ],
  ['protocol 3', () => ({ ...upsert(), protocol: 3 }), 'UnsupportedVersion', 'protocol', /version 3 is not supported/],
  ['protocol 0', () => ({ ...upsert(), protocol: 0 }), 'UnsupportedVersion', 'protocol', /speaks 1, 2\)/],
  [
    'protocol "1" (a string)',
    () => ({ ...upsert(), protocol: '1' }),
    'UnsupportedVersion',
    'protocol',
    /version 1 is not supported/,
  ],
  [
    'protocol 3 as JSON text',
    () => JSON.stringify({ ...upsert(), protocol: 3 }),
    'UnsupportedVersion',
    'protocol',
    /version 3/,
  ],
  [
    'protocol 1 with unique.follow',
    () => ({ ...upsert(), unique: { ...uniqueOf(upsert()), follow: ['sAMAccountName'] } }),
    'ProtocolError',
    'unique.follow',
    /unique\.follow: needs protocol 2/,
  ],
  [
    'protocol 1 with an empty unique.follow (a protocol-1 agent refuses the field)',
    () => ({ ...upsert(), unique: { ...uniqueOf(upsert()), follow: [] } }),
    'ProtocolError',
    'unique.follow',
    /unique\.follow: needs protocol 2/,
  ],
  [
    'unique.follow names cn (cn always follows)',
    () => ({ ...upsert(), protocol: 2, unique: { ...uniqueOf(upsert()), follow: ['cn'] } }),
    'ProtocolError',
    'unique.follow.0',
    /unique\.follow\.0/,
  ],
  [
    'unique.follow names an attribute twice',
    () => ({
      ...upsert(),
      protocol: 2,
      unique: { ...uniqueOf(upsert()), follow: ['mail', 'mail'], mail: ['a@x.test'] },
    }),
    'ProtocolError',
    'unique.follow',
    /unique\.follow: must not name an attribute twice/,
  ],
  [
    'unique.follow has four entries',
    () => ({
      ...upsert(),
      protocol: 2,
      unique: {
        ...uniqueOf(upsert()),
        mail: ['a@x.test'],
        follow: ['mail', 'sAMAccountName', 'userPrincipalName', 'mail'],
      },
    }),
    'ProtocolError',
    'unique.follow',
    /unique\.follow/,
  ],
  [
    'unique.follow names mail without mail candidates',
    () => ({ ...upsert(), protocol: 2, unique: { ...uniqueOf(upsert()), follow: ['mail'] } }),
    'ProtocolError',
    'unique.follow',
    /unique\.follow: mail can follow only when mail candidates are given/,
  ],
  ['text that is not JSON', () => '{"kind": "UpsertAccount",', 'ProtocolError', '(root)', /not JSON/],
  ['empty text', () => '', 'ProtocolError', '(root)', /not JSON/],
  ['JSON null', () => 'null', 'ProtocolError', '(root)', /\(root\)/],
  ['null', () => null, 'ProtocolError', '(root)', /\(root\)/],
  ['undefined', () => undefined, 'ProtocolError', '(root)', /\(root\)/],
  ['an array', () => [upsert()], 'ProtocolError', '(root)', /\(root\)/],
  ['a number', () => 42, 'ProtocolError', '(root)', /\(root\)/],
  ['a JSON number', () => '42', 'ProtocolError', '(root)', /\(root\)/],
  // Regression: String() on these threw a TypeError out of decodeCommand.
  [
    'protocol whose toString is not callable',
    () => '{"protocol":{"toString":1}}',
    'UnsupportedVersion',
    'protocol',
    /not supported/,
  ],
  [
    'kind whose toString is not callable',
    () => JSON.stringify({ ...upsert(), kind: { toString: 1 } }),
    'ProtocolError',
    'kind',
    /kind/,
  ],
  [
    'commandId whose toString is not callable',
    () => JSON.stringify({ ...upsert(), commandId: { toString: 1, valueOf: 1 } }),
    'ProtocolError',
    'commandId',
    /commandId/,
  ],
  [
    'kind with a null prototype',
    () => ({ ...upsert(), kind: Object.create(null) as object }),
    'ProtocolError',
    'kind',
    /kind/,
  ],
];

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('decodeCommand accepts', () => {
  it.each(KINDS)('a valid %s, as an object and as JSON text', (kind) => {
    const input = validInputs()[kind];
    for (const payload of [input, JSON.stringify(input)]) {
      const decoded = decodeCommand(payload);
      expect(decoded).toMatchObject({ ok: true });
      if (!decoded.ok) return;
      expect(decoded.value.kind).toBe(kind);
      expect(decoded.value).toMatchObject(input as object);
    }
  });

  it('applies the password defaults: length 20, must change at next logon', () => {
    const decoded = decodeCommand(upsertInput());
    expect(decoded.ok && decoded.value.kind === 'UpsertAccount' && decoded.value.password).toEqual({
      kind: 'generated',
      length: 20,
      mustChangeAtNextLogon: true,
    });
  });

  it('keeps explicit password settings', () => {
    const decoded = decodeCommand({
      ...upsertInput(),
      password: { kind: 'generated', length: 32, mustChangeAtNextLogon: false },
    });
    expect(decoded.ok && decoded.value.kind === 'UpsertAccount' && decoded.value.password).toEqual({
      kind: 'generated',
      length: 32,
      mustChangeAtNextLogon: false,
    });
  });

  it('defaults the lookup attributes to []', () => {
    const decoded = decodeCommand(validInputs().LookupAccount);
    expect(decoded.ok && decoded.value.kind === 'LookupAccount' && decoded.value.attributes).toEqual([]);
  });

  it('accepts optional parts: manager (set and cleared) and groups with memberOf in managed (case-insensitively)', () => {
    const withManager = decodeCommand({ ...upsertInput(), manager: { attribute: 'employeeID', value: '1' } });
    const clearedManager = decodeCommand({ ...upsertInput(), manager: null });
    const groups = decodeCommand({
      ...upsertInput(),
      groups: { managed: ['CN=Staff,OU=G,DC=corp', 'CN=Sales,OU=G,DC=corp'], memberOf: ['cn=staff,ou=g,dc=CORP'] },
    });
    expect([withManager.ok, clearedManager.ok, groups.ok]).toEqual([true, true, true]);
    expect(
      clearedManager.ok && clearedManager.value.kind === 'UpsertAccount' && clearedManager.value.manager,
    ).toBeNull();
  });

  it('does not mutate the payload it is given', () => {
    const input = upsertInput();
    const before = JSON.stringify(input);
    decodeCommand(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('decodeCommand rejects', () => {
  it.each(REJECTIONS)('%s', (_case, payload, code, path, message) => {
    const decoded = decodeCommand(payload());
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.code).toBe(code);
    expect(decoded.issues.map((i) => i.path)).toContain(path);
    expect(decoded.message).toMatch(message);
    // Every issue appears in the message with its path.
    for (const issue of decoded.issues) expect(decoded.message).toContain(`${issue.path}: ${issue.message}`);
  });

  it('reports every field at fault, not just the first', () => {
    const decoded = decodeCommand({ ...upsertInput(), enabled: 'yes', sequence: -1, parentOu: '' });
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['enabled', 'sequence', 'parentOu']));
  });

  it('names the kind and the command in the message', () => {
    const decoded = decodeCommand({ ...upsertInput(), enabled: 'yes' });
    expect(!decoded.ok && decoded.message).toMatch(/^invalid UpsertAccount cmd-0001: /);
  });
});

describe('decodeCommand properties', () => {
  const outcome = (payload: unknown) => {
    const decoded = decodeCommand(payload);
    if (decoded.ok) {
      expect(KINDS).toContain(decoded.value.kind);
    } else {
      expect(['ProtocolError', 'UnsupportedVersion']).toContain(decoded.code);
      expect(decoded.issues.length).toBeGreaterThan(0);
      expect(typeof decoded.message).toBe('string');
    }
  };

  it('never throws for any value', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withObjectString: true,
          withBigInt: true,
          withDate: true,
          withSparseArray: true,
        }),
        outcome,
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws for any text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json()), outcome), { numRuns: 1000 });
  });

  it('never throws when any one field of a valid command holds anything', () => {
    const fields = [...Object.keys(upsertInput()), 'manager', 'groups', 'extra'];
    const hostile = fc.oneof(
      fc.anything({ withNullPrototype: true, withBoxedValues: true }),
      fc.constant({ toString: 1 }),
      fc.constant({ toString: 1, valueOf: 1 }),
      fc.constant(Object.create(null) as object),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fields), hostile, fc.boolean(), (field, value, asText) => {
        const payload = { ...upsertInput(), [field]: value };
        let text: string | undefined;
        try {
          text = JSON.stringify(payload);
        } catch {
          // not serializable (BigInt): decode the object only
        }
        outcome(payload);
        if (asText && text !== undefined) outcome(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('a valid command decodes the same from its JSON text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 128 }),
        (kind, sequence, commandId) => {
          const input = { ...validInputs()[kind], sequence, commandId } as DirectoryCommandInput;
          expect(decodeCommand(JSON.stringify(input))).toEqual(decodeCommand(input));
        },
      ),
    );
  });
});

describe('decodeResult', () => {
  const results = Object.entries(validResults());

  it.each(results)('round-trips %s', (_name, result) => {
    expect(decodeResult(result)).toEqual({ ok: true, value: result });
    expect(decodeResult(JSON.parse(JSON.stringify(result)))).toEqual({ ok: true, value: result });
  });

  it('covers every result kind', () => {
    expect(new Set(results.map(([, r]) => r.kind))).toEqual(new Set(['Applied', 'NoChange', 'Failed', 'LookedUp']));
  });

  it.each(ERROR_CODE_NAMES)('accepts a Failed result with code %s', (code) => {
    const decoded = decodeResult({
      kind: 'Failed',
      commandId: 'c',
      workerKey: 'w',
      sequence: 1,
      code,
      retryable: false,
      message: 'm',
    });
    expect(decoded.ok).toBe(true);
  });

  it.each([
    [
      'unknown error code',
      { kind: 'Failed', commandId: 'c', workerKey: 'w', sequence: 1, code: 'Oops', retryable: false, message: 'm' },
      'code',
    ],
    ['unknown result kind', { kind: 'Skipped', commandId: 'c', workerKey: 'w', sequence: 1 }, 'kind'],
    ['unknown key', { kind: 'NoChange', commandId: 'c', workerKey: 'w', sequence: 1, pending: [], extra: 1 }, '(root)'],
    [
      'bad pending item',
      { kind: 'NoChange', commandId: 'c', workerKey: 'w', sequence: 1, pending: [{ kind: 'Later' }] },
      'pending.0.kind',
    ],
    ['null', null, '(root)'],
  ] as const)('rejects a result with %s at %s', (_case, payload, path) => {
    const decoded = decodeResult(payload);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.code).toBe('ProtocolError');
    expect(decoded.issues.map((i) => i.path)).toContain(path);
    expect(decoded.message).toMatch(/^invalid result: /);
  });
});

/**
 * Which versions decode, and which version a command needs.
 *
 * | command                              | protocol 1          | protocol 2 | protocolVersionFor |
 * |--------------------------------------|---------------------|------------|--------------------|
 * | any kind, no protocol-2 feature      | accepted            | accepted   | 1                  |
 * | UpsertAccount with unique.follow     | ProtocolError       | accepted   | 2                  |
 * | UpsertAccount with unique.follow: [] | ProtocolError       | accepted   | 2                  |
 * | protocol 0, 3, "1"                   | UnsupportedVersion (see the rejections above)               |
 */
const withFollow = (follow: string[]): DirectoryCommandInput => {
  const input = upsertInput();
  return { ...input, unique: { ...input.unique, follow } } as DirectoryCommandInput;
};
const VERSIONS: ReadonlyArray<readonly [string, () => DirectoryCommandInput, boolean, boolean, 1 | 2]> = [
  ...KINDS.map((kind) => [`${kind} without follow`, () => validInputs()[kind], true, true, 1] as const),
  ['UpsertAccount with follow', () => withFollow(['sAMAccountName', 'userPrincipalName']), false, true, 2],
  ['UpsertAccount with an empty follow', () => withFollow([]), false, true, 2],
];

describe('protocol versions', () => {
  it('speaks protocols 1 and 2, and writes 2', () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual([1, 2]);
    expect(PROTOCOL_VERSION).toBe(2);
  });

  it.each(VERSIONS)('%s: protocol 1 accepted %s, protocol 2 accepted %s, needs %s', (_case, input, v1, v2, needs) => {
    expect(decodeCommand({ ...input(), protocol: 1 }).ok).toBe(v1);
    expect(decodeCommand({ ...input(), protocol: 2 }).ok).toBe(v2);
    expect(protocolVersionFor(input())).toBe(needs);
  });

  it('keeps follow as given in protocol 2', () => {
    const decoded = decodeCommand({ ...withFollow(['userPrincipalName', 'sAMAccountName']), protocol: 2 });
    expect(decoded.ok && decoded.value.kind === 'UpsertAccount' && decoded.value.unique.follow).toEqual([
      'userPrincipalName',
      'sAMAccountName',
    ]);
  });

  it('a command written in the version protocolVersionFor names always decodes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.option(fc.subarray(['sAMAccountName', 'userPrincipalName'] as const), { nil: undefined }),
        (kind, follow) => {
          const base = kind === 'UpsertAccount' && follow !== undefined ? withFollow([...follow]) : validInputs()[kind];
          const input = { ...base, protocol: protocolVersionFor(base) } as DirectoryCommandInput;
          expect(decodeCommand(input).ok).toBe(true);
        },
      ),
    );
  });
});
