import fc from 'fast-check';
import {
  UAC,
  UAC_NEW_ACCOUNT,
  isEnabled,
  isUnfinished,
  withEnabled,
} from '../../../agent/applier/user-account-control';

// Bits hr2ad must never touch (MS-ADTS 2.2.16).
const DONT_EXPIRE_PASSWORD = 0x10000;
const SMARTCARD_REQUIRED = 0x40000;
const TRUSTED_FOR_DELEGATION = 0x80000;
const NOT_DELEGATED = 0x100000;
const LOCKOUT = 0x10;

/** [case, current userAccountControl, enabled wanted, expected] */
const WITH_ENABLED: ReadonlyArray<readonly [string, number, boolean, number]> = [
  ['new account enabled', UAC_NEW_ACCOUNT, true, 0x200],
  ['new account kept disabled', UAC_NEW_ACCOUNT, false, 0x202],
  ['enabled stays enabled', 0x200, true, 0x200],
  ['disabled stays disabled', 0x202, false, 0x202],
  ['enable a disabled account', 0x202, true, 0x200],
  ['disable an enabled account', 0x200, false, 0x202],
  ['DONT_EXPIRE_PASSWORD survives disable', 0x200 | DONT_EXPIRE_PASSWORD, false, 0x202 | DONT_EXPIRE_PASSWORD],
  ['DONT_EXPIRE_PASSWORD survives enable', 0x202 | DONT_EXPIRE_PASSWORD, true, 0x200 | DONT_EXPIRE_PASSWORD],
  ['PASSWD_NOTREQD is cleared, other bits kept', 0x222 | DONT_EXPIRE_PASSWORD, true, 0x200 | DONT_EXPIRE_PASSWORD],
  ['PASSWD_NOTREQD is cleared on disable too', 0x220, false, 0x202],
  [
    'smartcard and delegation bits kept',
    0x200 | SMARTCARD_REQUIRED | NOT_DELEGATED | TRUSTED_FOR_DELEGATION,
    false,
    0x202 | SMARTCARD_REQUIRED | NOT_DELEGATED | TRUSTED_FOR_DELEGATION,
  ],
  ['lockout bit kept', 0x200 | LOCKOUT, true, 0x200 | LOCKOUT],
  ['NORMAL_ACCOUNT added when missing', 0, true, 0x200],
  ['NORMAL_ACCOUNT added when missing (disable)', 0, false, 0x202],
];

/** [uac, isEnabled, isUnfinished] */
const FLAGS: ReadonlyArray<readonly [number, boolean, boolean]> = [
  [0x200, true, false],
  [0x202, false, false],
  [UAC_NEW_ACCOUNT, false, true],
  [0x220, true, true],
  [0x10200, true, false],
  [0x10202, false, false],
];

describe('withEnabled', () => {
  it.each(WITH_ENABLED)('%s: 0x%s', (_case, uac, enabled, expected) => {
    expect(withEnabled(uac, enabled)).toBe(expected);
  });

  it('changes only the bits hr2ad owns, and is idempotent', () => {
    const owned = UAC.ACCOUNTDISABLE | UAC.PASSWD_NOTREQD | UAC.NORMAL_ACCOUNT;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), fc.boolean(), (uac, enabled) => {
        const next = withEnabled(uac, enabled);
        expect(next & ~owned).toBe(uac & ~owned);
        expect(isEnabled(next)).toBe(enabled);
        expect(isUnfinished(next)).toBe(false);
        expect(next & UAC.NORMAL_ACCOUNT).toBe(UAC.NORMAL_ACCOUNT);
        expect(withEnabled(next, enabled)).toBe(next);
        expect(next).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isEnabled / isUnfinished', () => {
  it.each(FLAGS)('0x%s: enabled %s, unfinished %s', (uac, enabled, unfinished) => {
    expect(isEnabled(uac)).toBe(enabled);
    expect(isUnfinished(uac)).toBe(unfinished);
  });

  it('a new account is added normal, disabled and without a password', () => {
    expect(UAC_NEW_ACCOUNT).toBe(0x222);
  });
});
