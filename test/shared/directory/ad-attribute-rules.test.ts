import fc from 'fast-check';
import { AD_ATTRIBUTE_MAX_LENGTH, checkAdAttributeValue } from '../../../shared/directory/ad-attribute-rules';

// ---------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------

const x = (n: number, ch = 'a'): string => ch.repeat(n);

/** [attribute, value, null when accepted or a pattern the reason must match] */
const CASES: ReadonlyArray<readonly [string, string, RegExp | null]> = [
  // sAMAccountName: 20 characters, counted by code points
  ['sAMAccountName', 'jdoe', null],
  ['sAMAccountName', x(20), null],
  ['sAMAccountName', x(21), /sAMAccountName is 21 characters; AD allows at most 20/],
  ['sAMAccountName', x(20, 'é'), null],
  ['sAMAccountName', x(21, 'é'), /21 characters/],
  ['sAMAccountName', x(20, '😀'), null], // 40 UTF-16 units, 20 code points
  ['sAMAccountName', x(21, '😀'), /21 characters/],
  ['sAMAccountName', 'j.doe', null],
  ['sAMAccountName', 'j doe', null],
  ['sAMAccountName', 'j-doe_1@x', null],
  ['sAMAccountName', 'jdoe.', /may not end with "\."/],
  ['sAMAccountName', '...', /may not end with "\."/],
  ['sAMAccountName', ' jdoe', /may not start or end with a space/],
  ['sAMAccountName', 'jdoe ', /may not start or end with a space/],
  ['sAMAccountName', 'j\tdoe', /control character/],
  ['SAMACCOUNTNAME', 'j/doe', /sAMAccountName may not contain "\/"/], // attribute names are case-insensitive
  ['sAMAccountName', '', /may not be empty/],
  // cn: 64
  ['cn', x(64), null],
  ['cn', x(65), /cn is 65 characters; AD allows at most 64/],
  ['cn', 'Doe, John (Sales) #2 <ext> "J" + =;', null], // DN specials are escaped, not forbidden
  ['cn', ' Jane Doe', /may not start or end with a space/],
  ['cn', 'Jane Doe ', /may not start or end with a space/],
  ['cn', 'Jane\nDoe', /control character/],
  ['CN', '', /CN may not be empty/],
  // userPrincipalName
  ['userPrincipalName', 'jdoe@corp.example.test', null],
  ['userPrincipalName', "o'brien@corp.example.test", null],
  ['userPrincipalName', 'j.doe-1_x!#^~@corp.example.test', null],
  ['userPrincipalName', 'jdoe@corp', null],
  ['userPrincipalName', `${x(1020)}@b.c`, null], // 1024
  ['userPrincipalName', `${x(1021)}@b.c`, /1025 characters; AD allows at most 1024/],
  ['userPrincipalName', 'jdoe', /must be local@suffix/],
  ['userPrincipalName', '@corp.example.test', /must be local@suffix/],
  ['userPrincipalName', 'jdoe@', /must be local@suffix/],
  ['userPrincipalName', 'j doe@corp.example.test', /local part "j doe" may only hold/],
  ['userPrincipalName', 'josé@corp.example.test', /local part "josé" may only hold/],
  ['userPrincipalName', 'j,doe@corp.example.test', /local part/],
  ['userPrincipalName', 'a@b@corp.example.test', /local part "a@b"/],
  ['userPrincipalName', '.jdoe@corp.example.test', /may not start or end with "\." or hold "\.\."/],
  ['userPrincipalName', 'jdoe.@corp.example.test', /may not start or end with "\."/],
  ['userPrincipalName', 'j..doe@corp.example.test', /hold "\.\."/],
  ['userPrincipalName', 'jdoe@corp_example.test', /suffix must be a DNS name/],
  ['userPrincipalName', 'jdoe@corp example.test', /suffix must be a DNS name/],
  ['userPrincipalName', 'jdoe@corp.test\n', /control character/],
  // mail
  ['mail', 'jane.doe@example.com', null],
  ['mail', 'jane+hr@mail.example.co.uk', null],
  ['mail', 'jane.doe@example', /is not an e-mail address/],
  ['mail', 'jane doe@example.com', /is not an e-mail address/],
  ['mail', 'jane@@example.com', /is not an e-mail address/],
  ['mail', 'jane.doe@ex ample.com', /is not an e-mail address/],
  ['mail', 'jane.doe', /is not an e-mail address/],
  ['mail', `${x(244)}@example.com`, null], // 256
  ['mail', `${x(245)}@example.com`, /257 characters; AD allows at most 256/],
  // employeeID: 16
  ['employeeID', x(16, '1'), null],
  ['employeeID', x(17, '1'), /employeeID is 17 characters; AD allows at most 16/],
  ['employeeID', 'E-0001/β', null],
  // other attributes
  ['givenName', x(64), null],
  ['givenName', x(65), /at most 64/],
  ['initials', x(6), null],
  ['initials', x(7), /at most 6/],
  ['c', 'DE', null],
  ['c', 'DEU1', /at most 3/],
  ['department', 'Sales\0', /control character/],
  ['department', 'Sales\x7f', /control character/],
  ['department', 'Sales\x1f', /control character/],
  ['department', 'Sales & Marketing / EMEA', null],
  ['extensionAttribute2', x(5000), null], // no known limit
  ['title', '', /title may not be empty/],
];

/** Each character AD forbids in sAMAccountName. */
const SAM_FORBIDDEN = ['"', '/', '\\', '[', ']', ':', ';', '|', '=', ',', '+', '*', '?', '<', '>'] as const;

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('checkAdAttributeValue', () => {
  it.each(CASES)('%s = %j → %s', (attribute, value, expected) => {
    const reason = checkAdAttributeValue(attribute, value);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });

  it.each(SAM_FORBIDDEN)('sAMAccountName may not contain %s (anywhere)', (ch) => {
    for (const value of [`j${ch}doe`, `${ch}jdoe`, `jdoe${ch}`]) {
      const reason = checkAdAttributeValue('sAMAccountName', value);
      expect(reason).toMatch(/^sAMAccountName may not contain /);
      expect(reason).toContain(ch);
    }
  });

  it.each(SAM_FORBIDDEN)('%s is fine in a cn', (ch) => {
    expect(checkAdAttributeValue('cn', `Doe ${ch} Jane`)).toBeNull();
  });
});

describe('properties', () => {
  const limited = Object.entries(AD_ATTRIBUTE_MAX_LENGTH).filter(
    ([name]) => !['userprincipalname', 'mail'].includes(name),
  );

  it('at the limit passes the length rule, one more code point fails it (any BMP or astral character)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...limited), fc.constantFrom('a', 'é', '中', '😀'), ([name, max], ch) => {
        expect(checkAdAttributeValue(name, ch.repeat(max))).toBeNull();
        expect(checkAdAttributeValue(name, ch.repeat(max + 1))).toMatch(
          new RegExp(`is ${max + 1} characters; AD allows at most ${max}$`),
        );
      }),
    );
  });

  it('any value with a control character is refused, for every attribute', () => {
    const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f)).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(AD_ATTRIBUTE_MAX_LENGTH)),
        fc.string({ maxLength: 2 }),
        control,
        fc.string({ maxLength: 2 }),
        (name, before, ch, after) => {
          expect(checkAdAttributeValue(name, `${before}${ch}${after}`)).not.toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a sAMAccountName of 1–20 safe characters, not ending in "." or space, is accepted', () => {
    const safe = fc.constantFrom(..."abcxyzABCXYZ0189-_.@!#$%&'(){}^~é".split(''));
    fc.assert(
      fc.property(
        fc.string({ unit: safe, minLength: 1, maxLength: 20 }).filter((v) => !v.endsWith('.')),
        (value) => {
          expect(checkAdAttributeValue('sAMAccountName', value)).toBeNull();
        },
      ),
    );
  });

  it('never throws and answers null or a non-empty reason', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...Object.keys(AD_ATTRIBUTE_MAX_LENGTH)), fc.string()),
        fc.string({ unit: 'binary' }),
        (name, value) => {
          const reason = checkAdAttributeValue(name, value);
          expect(reason === null || (typeof reason === 'string' && reason.length > 0)).toBe(true);
        },
      ),
    );
  });
});
