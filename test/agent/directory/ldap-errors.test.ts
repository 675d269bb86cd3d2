import fc from 'fast-check';
import { ConstraintViolationError, NoSuchObjectError, UnwillingToPerformError } from 'ldapts';
import { toDirectoryError } from '../../../agent/directory/ldap-errors';
import { DirectoryError } from '../../../agent/directory/directory.port';
import { ERROR_CODES, isErrorCode, isRetryable, type ErrorCode } from '../../../shared/protocol';

// ---------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------

/** [LDAP result code (RFC 4511), stable code, retryable] */
const RESULT_CODES: ReadonlyArray<readonly [number, ErrorCode, boolean]> = [
  [3, 'Timeout', true], // timeLimitExceeded
  [4, 'SizeLimitExceeded', false], // sizeLimitExceeded: retrying hits the same cap
  [11, 'DirectoryBusy', true], // adminLimitExceeded
  [16, 'UnknownAttribute', false], // noSuchAttribute
  [17, 'UnknownAttribute', false], // undefinedAttributeType
  [19, 'ConstraintViolation', false],
  [20, 'AlreadyExists', false], // attributeOrValueExists
  [21, 'InvalidValue', false], // invalidAttributeSyntax
  [32, 'ParentNotFound', false], // noSuchObject
  [34, 'InvalidValue', false], // invalidDNSyntax
  [49, 'InvalidCredentials', false],
  [50, 'InsufficientAccess', false],
  [51, 'DirectoryBusy', true], // busy
  [52, 'DirectoryUnavailable', true], // unavailable
  [53, 'UnwillingToPerform', false],
  [64, 'NamingViolation', false],
  [65, 'NamingViolation', false], // objectClassViolation
  [66, 'ConstraintViolation', false], // notAllowedOnNonLeaf
  [68, 'AlreadyExists', false], // entryAlreadyExists
  [80, 'Unexpected', false], // other
  [999, 'Unexpected', false], // not a result code at all
];

/** [LDAP result code, AD/Samba diagnostic, stable code]: diagnostics that name a more precise cause. */
const DIAGNOSTICS: ReadonlyArray<readonly [number, string, ErrorCode]> = [
  [
    19,
    '0000052D: Constraint violation - check_password_restrictions: the password does not meet the complexity criteria!',
    'PasswordRejected',
  ],
  [53, '0000052D: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0', 'PasswordRejected'], // Windows AD on unicodePwd
  [19, "0000202F: samldb: userPrincipalName 'x@y' is already in use", 'AlreadyExists'],
  [19, "0000202F: samldb: sAMAccountName 'jdoe' is already in use", 'AlreadyExists'],
  [32, '0000208D: NameErr: DSID-03100241, problem 2001 (NO_OBJECT), data 0, best match of: DC=corp', 'ParentNotFound'],
  [
    19,
    '00002082: AtrErr: DSID-03151904, #1: 0: 00002082: DSID-03151904, problem 1005 (CONSTRAINT_ATT_TYPE)',
    'ConstraintViolation',
  ],
  [53, '00000057: LdapErr: DSID-0C090D7B, comment: Error in attribute conversion operation', 'UnwillingToPerform'],
];

/** [error thrown by the socket/TLS layer or ldapts, stable code, retryable] */
const TRANSPORT: ReadonlyArray<readonly [string, Error, ErrorCode, boolean]> = [
  ['ECONNREFUSED', sysError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.4:636'), 'ConnectionFailed', true],
  ['ECONNRESET', sysError('ECONNRESET', 'read ECONNRESET'), 'ConnectionFailed', true],
  ['EHOSTUNREACH', sysError('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.4:636'), 'ConnectionFailed', true],
  ['ENOTFOUND', sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND dc01.corp.example.test'), 'ConnectionFailed', true],
  ['ETIMEDOUT', sysError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.4:636'), 'Timeout', true],
  [
    'ERR_TLS_CERT_ALTNAME_INVALID',
    sysError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
    'TlsVerificationFailed',
    false,
  ],
  [
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    sysError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
    'TlsVerificationFailed',
    false,
  ],
  [
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    sysError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
    'TlsVerificationFailed',
    false,
  ],
  ['CERT_HAS_EXPIRED', sysError('CERT_HAS_EXPIRED', 'certificate has expired'), 'TlsVerificationFailed', false],
  ['ldapts connect timeout', new Error('Connection timeout'), 'Timeout', true],
  ['ldapts operation timeout', new Error('Timed out waiting for response'), 'Timeout', true],
  [
    'ldapts closed socket',
    new Error('Connection closed before message response was received. Message type: SearchRequest (0x63)'),
    'ConnectionFailed',
    true,
  ],
  ['socket not connected', new Error('Socket not connected'), 'ConnectionFailed', true],
  ['unknown string code', sysError('EWHATEVER', 'something odd'), 'Unexpected', false],
  ['plain error', new Error('boom'), 'Unexpected', false],
];

const WHAT = 'modify CN=Jane Doe,OU=Users,DC=corp';

/** What ldapts throws for a result code: message `<diagnostic> Code: 0x<hex>` and a numeric `code`. */
function ldapError(code: number, diagnostic: string): Error {
  return Object.assign(new Error(`${diagnostic} Code: 0x${code.toString(16)}`), { code });
}

function sysError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function expectConsistent(error: DirectoryError, code: ErrorCode, retryable: boolean): void {
  expect(error).toBeInstanceOf(DirectoryError);
  expect(isErrorCode(code)).toBe(true);
  expect(Object.keys(ERROR_CODES)).toContain(error.code);
  expect(error.code).toBe(code);
  expect(error.retryable).toBe(retryable);
  expect(error.retryable).toBe(isRetryable(error.code));
  expect(error.message.startsWith(`${WHAT}: `)).toBe(true);
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('toDirectoryError: LDAP result codes', () => {
  it.each(RESULT_CODES)('result code %i → %s (retryable %s)', (ldapCode, code, retryable) => {
    const error = toDirectoryError(ldapError(ldapCode, 'server said no'), WHAT);
    expectConsistent(error, code, retryable);
    expect(error.ldapCode).toBe(ldapCode);
    expect(error.diagnostic).toBe('server said no');
    expect(error.message).toBe(`${WHAT}: server said no (LDAP ${ldapCode})`);
  });

  it('the helper builds errors shaped exactly like ldapts', () => {
    for (const [real, code] of [
      [new ConstraintViolationError('diag'), 19],
      [new NoSuchObjectError('diag'), 32],
      [new UnwillingToPerformError('diag'), 53],
    ] as const) {
      const fake = ldapError(code, 'diag');
      expect(real.code).toBe(code);
      expect(real.message).toBe(fake.message);
      expect(toDirectoryError(real, WHAT)).toMatchObject({
        code: toDirectoryError(fake, WHAT).code,
        diagnostic: 'diag',
        ldapCode: code,
      });
    }
  });
});

describe('toDirectoryError: AD diagnostics', () => {
  it.each(DIAGNOSTICS)('result code %i with %j → %s', (ldapCode, diagnostic, code) => {
    const error = toDirectoryError(ldapError(ldapCode, diagnostic), WHAT);
    expectConsistent(error, code, false);
    expect(error.diagnostic).toBe(diagnostic);
    expect(error.message).toContain(diagnostic);
    expect(error.message).not.toMatch(/Code: 0x/);
  });

  it('works on the real ldapts classes', () => {
    const error = toDirectoryError(
      new ConstraintViolationError("0000202F: samldb: userPrincipalName 'x@y' is already in use"),
      WHAT,
    );
    expect(error.code).toBe('AlreadyExists');
  });
});

describe('toDirectoryError: transport failures', () => {
  it.each(TRANSPORT)('%s → %s (retryable %s)', (_name, thrown, code, retryable) => {
    const error = toDirectoryError(thrown, WHAT);
    expectConsistent(error, code, retryable);
    expect(error.message).toBe(`${WHAT}: ${thrown.message}`);
    expect(error.ldapCode).toBeUndefined();
  });

  it.each([
    ['a string', 'socket hang up', 'ConnectionFailed'],
    ['a string', 'weird', 'Unexpected'],
    ['null', null, 'Unexpected'],
    ['undefined', undefined, 'Unexpected'],
    ['a number', 42, 'Unexpected'],
  ] as const)('classifies a thrown %s (%j) as %s', (_kind, thrown, code) => {
    const error = toDirectoryError(thrown, WHAT);
    expectConsistent(error, code, isRetryable(code));
    expect(error.message).toBe(`${WHAT}: ${String(thrown)}`);
  });

  it('passes a DirectoryError through unchanged', () => {
    const original = new DirectoryError('ProtectedAccount', 'already classified', false);
    expect(toDirectoryError(original, WHAT)).toBe(original);
  });
});

describe('properties', () => {
  it("any result code and diagnostic give a known code whose retryable flag is the code's", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.string(), (ldapCode, diagnostic) => {
        const error = toDirectoryError(ldapError(ldapCode, diagnostic), WHAT);
        expect(isErrorCode(error.code)).toBe(true);
        expect(error.retryable).toBe(isRetryable(error.code));
        expect(error.ldapCode).toBe(ldapCode);
        expect(error.message.startsWith(`${WHAT}: `)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  // Only values String() can convert: an object with a broken toString (`{ toString: '' }`) still makes
  // toDirectoryError throw a TypeError. Nothing ldapts or Node throws looks like that, so it is left as is.
  const stringifiable = fc.anything().filter((v) => {
    try {
      String(v);
      return true;
    } catch {
      return false;
    }
  });

  it('anything thrown is classified without throwing', () => {
    fc.assert(
      fc.property(stringifiable, (thrown) => {
        const error = toDirectoryError(thrown, WHAT);
        expect(isErrorCode(error.code)).toBe(true);
        expect(error.retryable).toBe(isRetryable(error.code));
      }),
      { numRuns: 500 },
    );
  });
});
