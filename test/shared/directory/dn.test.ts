import fc from 'fast-check';
import {
  DnSyntaxError,
  childDn,
  dnEquals,
  dnsNameOfDomain,
  escapeRdnValue,
  firstRdn,
  formatDn,
  isWithin,
  normalizeDn,
  parentOf,
  parseDn,
  tryParseDn,
  type Dn,
  type Rdn,
} from '../../../shared/directory/dn';

// ---------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------

/** [raw value, escaped form] — RFC 4514 §2.4, plus hex for control characters. */
const ESCAPES: ReadonlyArray<readonly [string, string]> = [
  ['plain', 'plain'],
  ['', ''],
  ['Doe, John', 'Doe\\, John'],
  ['a+b', 'a\\+b'],
  ['say "hi"', 'say \\"hi\\"'],
  ['back\\slash', 'back\\\\slash'],
  ['<tag>', '\\<tag\\>'],
  ['a;b', 'a\\;b'],
  ['a=b', 'a\\=b'],
  ['#1', '\\#1'],
  ['a#b', 'a#b'], // only a leading # is special
  [' lead', '\\ lead'],
  ['trail ', 'trail\\ '],
  ['mid dle', 'mid dle'],
  [' ', '\\ '],
  ['  ', '\\ \\ '],
  ['   ', '\\  \\ '], // first and last escaped; the middle one is ordinary
  ['a\0b', 'a\\00b'],
  ['tab\there', 'tab\\09here'],
  ['line\n', 'line\\0a'],
  ['\r', '\\0d'],
  ['\x1f', '\\1f'],
  ['del\x7f', 'del\\7f'],
  ['José', 'José'],
  ['😀', '😀'],
  ['*)(objectClass=*', '*)(objectClass\\=*'], // filter metacharacters are not DN specials
];

/** [DN text, expected RDNs] */
const PARSES: ReadonlyArray<readonly [string, Dn]> = [
  ['CN=Doe\\, John,OU=Users,DC=corp', [rdn('CN', 'Doe, John'), rdn('OU', 'Users'), rdn('DC', 'corp')]],
  ['CN=Doe\\2C John,OU=Users', [rdn('CN', 'Doe, John'), rdn('OU', 'Users')]],
  ['CN=Doe\\2c John,OU=Users', [rdn('CN', 'Doe, John'), rdn('OU', 'Users')]],
  ['CN=a\\,b\\2Cc\\2bd', [rdn('CN', 'a,b,c+d')]],
  ['CN=Jos\\C3\\A9 Garc\\C3\\ADa,OU=x', [rdn('CN', 'José García'), rdn('OU', 'x')]],
  ['CN=\\E2\\82\\AC', [rdn('CN', '€')]],
  ['CN=\\F0\\9F\\98\\80!', [rdn('CN', '😀!')]],
  ['CN=José,OU=x', [rdn('CN', 'José'), rdn('OU', 'x')]],
  ['CN="Doe, John",OU=Users', [rdn('CN', 'Doe, John'), rdn('OU', 'Users')]],
  ['CN="a\\"b;c+d",OU=x', [rdn('CN', 'a"b;c+d'), rdn('OU', 'x')]],
  ['CN="Doe, John" , OU=x', [rdn('CN', 'Doe, John'), rdn('OU', 'x')]],
  ['CN=a, OU=b,  DC=c', [rdn('CN', 'a'), rdn('OU', 'b'), rdn('DC', 'c')]],
  ['CN=a;OU=b', [rdn('CN', 'a'), rdn('OU', 'b')]],
  ['cn=a,ou=b', [rdn('cn', 'a'), rdn('ou', 'b')]],
  ['2.5.4.3=a,OU=b', [rdn('2.5.4.3', 'a'), rdn('OU', 'b')]],
  ['msDS-Thing=a', [rdn('msDS-Thing', 'a')]],
  ['CN=\\ lead,OU=x', [rdn('CN', ' lead'), rdn('OU', 'x')]],
  ['CN=trail\\ ,OU=x', [rdn('CN', 'trail '), rdn('OU', 'x')]],
  ['CN=trail\\20,OU=x', [rdn('CN', 'trail '), rdn('OU', 'x')]],
  ['CN=trail   ,OU=x', [rdn('CN', 'trail'), rdn('OU', 'x')]], // unescaped trailing spaces are not part of the value
  ['CN=trail\\  ,OU=x', [rdn('CN', 'trail '), rdn('OU', 'x')]], // ...but the escaped one is
  ['CN=Jos\\C3\\A9 ,OU=x', [rdn('CN', 'José'), rdn('OU', 'x')]], // regression: multi-byte escape before a trailing space
  ['CN=a\\ ', [rdn('CN', 'a ')]], // regression: escaped space at the very end of the text
  ['CN=a\\\\ ', [rdn('CN', 'a\\')]], // escaped backslash, then an unescaped space
  ['CN=a\u00a0', [rdn('CN', 'a\u00a0')]], // regression: a no-break space is value, not whitespace to trim
  ['CN=a\\00b', [rdn('CN', 'a\0b')]],
  ['CN=\\#1', [rdn('CN', '#1')]],
  ['CN=a#b', [rdn('CN', 'a#b')]],
  ['CN=', [rdn('CN', '')]],
  ['CN=x\\2', [rdn('CN', 'x2')]], // a backslash before a single non-hex pair escapes one character
  ['  CN=a,OU=b  ', [rdn('CN', 'a'), rdn('OU', 'b')]],
  ['CN=a,OU=b\n', [rdn('CN', 'a'), rdn('OU', 'b')]],
  ['', []],
  ['   ', []],
];

/** DN texts that are not DNs. */
const MALFORMED: readonly string[] = [
  'CN',
  'CN=a,OU',
  '=a',
  ',CN=a',
  'CN=a,',
  'CN=a, ',
  'CN=a;',
  'CN=a,,OU=b',
  'C N=a',
  '1CN=a',
  'CN.x=a',
  'CN=a\\',
  'CN="abc',
  'CN="abc\\"',
  'CN="a"x,OU=b',
  'CN="a"xOU=b', // regression: the character after a quoted value was swallowed as a separator
  'CN=a+SN=b',
  'CN="a"+SN=b',
  'just text',
];

/** [dn, ancestor, within?] */
const WITHIN: ReadonlyArray<readonly [string, string, boolean]> = [
  ['CN=a,OU=Users,DC=corp', 'OU=Users,DC=corp', true],
  ['OU=Users,DC=corp', 'OU=Users,DC=corp', true],
  ['CN=a,OU=Users,DC=corp', 'ou=users,dc=CORP', true],
  ['CN=a,OU=Sub,OU=Users,DC=corp', 'OU=Users,DC=corp', true],
  ['CN=a\\2C b,OU=Users,DC=corp', 'OU=Users, DC=corp', true],
  ['CN=x,OU=Us\\65rs,DC=corp', 'OU=Users,DC=corp', true],
  ['CN=x,OU="Users",DC=corp', 'OU=Users,DC=corp', true],
  ['CN=a,OU=Users2,DC=corp', 'OU=Users,DC=corp', false],
  ['CN=a,OU=XUsers,DC=corp', 'OU=Users,DC=corp', false],
  ['CN=a,OU=Evil\\,OU=Users,DC=corp', 'OU=Users,DC=corp', false],
  ['CN=a,OU=Evil\\2COU=Users,DC=corp', 'OU=Users,DC=corp', false],
  ['CN=a,OU=Users,DC=corp,DC=evil', 'OU=Users,DC=corp', false],
  ['CN=x,CN=Users,DC=corp', 'OU=Users,DC=corp', false],
  ['OU=Users,DC=corp', 'CN=a,OU=Users,DC=corp', false],
  ['DC=corp', 'OU=Users,DC=corp', false],
  ['CN=a,OU=Users,DC=corp', '', false],
];

/** [dn, normalized] */
const NORMALIZED: ReadonlyArray<readonly [string, string]> = [
  ['cn=Doe\\2C John, ou=Users,dc=Corp', 'CN=doe\\, john,OU=users,DC=corp'],
  ['CN="Doe, John",OU=x', 'CN=doe\\, john,OU=x'],
  ['CN=JOSÉ,OU=x', 'CN=josé,OU=x'],
  ['CN=Jos\\C3\\89,OU=x', 'CN=josé,OU=x'],
  ['CN=a;OU=b', 'CN=a,OU=b'],
  ['CN=\\#A ,OU=b', 'CN=\\#a,OU=b'],
  ['', ''],
];

/** [a, b, equal?] */
const EQUALS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['CN=Doe\\, John,OU=Users', 'cn=doe\\2c john, ou=USERS', true],
  ['CN=José,OU=b', 'CN=Jos\\C3\\A9,OU=b', true],
  ['CN=a ,OU=b', 'CN=a,OU=b', true],
  ['CN=a;OU=b', 'CN=a,OU=b', true],
  ['CN="a",OU=b', 'CN=a,OU=b', true],
  ['CN=a\\ ,OU=b', 'CN=a,OU=b', false],
  ['CN=a,OU=b', 'CN=a,OU=c', false],
  ['CN=a', 'OU=a', false],
  ['CN=a,OU=b', 'CN=a', false],
];

/** [domain DN, DNS name] */
const DOMAINS: ReadonlyArray<readonly [string, string]> = [
  ['DC=corp,DC=example,DC=test', 'corp.example.test'],
  ['dc=corp, dc=test', 'corp.test'],
  ['OU=Users,DC=corp,DC=test', 'corp.test'],
  ['DC=single', 'single'],
  ['', ''],
];

function rdn(type: string, value: string): Rdn {
  return { type, value };
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------------

/** Characters that matter to DN syntax or to trimming, plus hex digits that could pair with a backslash. */
const tricky = fc.constantFrom(
  ',',
  '+',
  '"',
  '\\',
  '<',
  '>',
  ';',
  '=',
  '#',
  ' ',
  '\0',
  '\n',
  '\t',
  '\r',
  '\x7f',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  'é',
  '😀',
  'A',
  '2',
  'c',
  'C3',
  '\\2C',
  'OU=',
  'DC=evil',
);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Any value an HR system could send, biased towards DN metacharacters. */
const anyValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }),
  fc.string({ unit: tricky, maxLength: 20 }),
  fc.string({
    unit: fc.oneof(tricky, loneSurrogate, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
    maxLength: 20,
  }),
);

const anyType = fc.constantFrom('CN', 'OU', 'DC', 'O', 'cn', 'ou', '2.5.4.3', 'msDS-x');
const anyDn = fc.array(fc.record({ type: anyType, value: anyValue }), { minLength: 1, maxLength: 4 });

const PROPERTY_RUNS = { numRuns: 1000 };

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('escapeRdnValue', () => {
  it.each(ESCAPES)('escapes %j as %j', (raw, escaped) => {
    expect(escapeRdnValue(raw)).toBe(escaped);
  });

  it.each(ESCAPES)('parses the escaped form of %j back to the value', (raw) => {
    expect(parseDn(`CN=${escapeRdnValue(raw)},OU=x`)).toEqual([rdn('CN', raw), rdn('OU', 'x')]);
  });
});

describe('formatDn / childDn', () => {
  it('formats RDNs in order with escaped values', () => {
    expect(formatDn([rdn('CN', 'Doe, John'), rdn('OU', 'Users'), rdn('DC', 'corp')])).toBe(
      'CN=Doe\\, John,OU=Users,DC=corp',
    );
  });

  it.each([
    ['Doe, John', 'OU=x,DC=a', 'CN=Doe\\, John,OU=x,DC=a'],
    ['x,OU=Admins', 'OU=x,DC=a', 'CN=x\\,OU\\=Admins,OU=x,DC=a'],
    ['plain', '', 'CN=plain'],
  ])('childDn(CN, %j, %j) = %j', (value, parent, expected) => {
    expect(childDn('CN', value, parent)).toBe(expected);
  });

  it('accepts a parsed parent', () => {
    expect(childDn('CN', 'a+b', [rdn('OU', 'Sales, EMEA'), rdn('DC', 'corp')])).toBe(
      'CN=a\\+b,OU=Sales\\, EMEA,DC=corp',
    );
  });
});

describe('parseDn', () => {
  it.each(PARSES)('parses %j', (text, expected) => {
    expect(parseDn(text)).toEqual(expected);
  });

  it.each(MALFORMED)('rejects %j with DnSyntaxError', (text) => {
    expect(() => parseDn(text)).toThrow(DnSyntaxError);
    expect(tryParseDn(text)).toBeNull();
  });

  it('names the DN in the error', () => {
    expect(() => parseDn('CN=a,')).toThrow(/DN "CN=a,"/);
  });

  it('parentOf and firstRdn split off the leaf', () => {
    expect(parentOf('CN=Doe\\, John,OU=Users,DC=corp')).toEqual([rdn('OU', 'Users'), rdn('DC', 'corp')]);
    expect(firstRdn('CN=Doe\\, John,OU=Users,DC=corp')).toEqual(rdn('CN', 'Doe, John'));
    expect(firstRdn('')).toBeUndefined();
  });
});

describe('isWithin', () => {
  it.each(WITHIN)('isWithin(%j, %j) is %s', (dn, ancestor, expected) => {
    expect(isWithin(dn, ancestor)).toBe(expected);
    expect(isWithin(parseDn(dn), parseDn(ancestor))).toBe(expected);
  });
});

describe('normalizeDn / dnEquals', () => {
  it.each(NORMALIZED)('normalizes %j to %j', (dn, expected) => {
    expect(normalizeDn(dn)).toBe(expected);
  });

  it.each(EQUALS)('dnEquals(%j, %j) is %s', (a, b, expected) => {
    expect(dnEquals(a, b)).toBe(expected);
    expect(dnEquals(b, a)).toBe(expected);
  });

  it('throws DnSyntaxError for a malformed operand', () => {
    expect(() => dnEquals('CN=a', 'CN=a,')).toThrow(DnSyntaxError);
    expect(() => normalizeDn('nonsense')).toThrow(DnSyntaxError);
  });
});

describe('dnsNameOfDomain', () => {
  it.each(DOMAINS)('dnsNameOfDomain(%j) = %j', (dn, expected) => {
    expect(dnsNameOfDomain(dn)).toBe(expected);
    expect(dnsNameOfDomain(parseDn(dn))).toBe(expected);
  });
});

describe('properties', () => {
  it('no value can change where an object lands: the value round-trips and the parent is intact', () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        const dn = childDn('CN', v, 'OU=x,DC=a');
        const parsed = parseDn(dn);
        expect(parsed).toHaveLength(3);
        expect(parsed[0]).toEqual(rdn('CN', v));
        expect(parsed.slice(1)).toEqual([rdn('OU', 'x'), rdn('DC', 'a')]);
        expect(isWithin(dn, 'OU=x,DC=a')).toBe(true);
        expect(isWithin(dn, 'OU=y,DC=a')).toBe(false);
      }),
      PROPERTY_RUNS,
    );
  });

  it('parseDn(formatDn(dn)) returns dn, whatever the values and wherever they sit', () => {
    fc.assert(
      fc.property(anyDn, (dn) => {
        expect(parseDn(formatDn(dn))).toEqual(dn);
      }),
      PROPERTY_RUNS,
    );
  });

  it('a value alone at the end of the text round-trips too', () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        expect(parseDn(childDn('CN', v, ''))).toEqual([rdn('CN', v)]);
      }),
      PROPERTY_RUNS,
    );
  });

  it('normalizeDn is idempotent and agrees with dnEquals', () => {
    fc.assert(
      fc.property(anyDn, (dn) => {
        const once = normalizeDn(dn);
        expect(normalizeDn(once)).toBe(once);
        expect(dnEquals(formatDn(dn), once)).toBe(true);
      }),
      PROPERTY_RUNS,
    );
  });

  it('parseDn never throws anything but DnSyntaxError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: tricky }), fc.string({ unit: 'binary-ascii' })), (text) => {
        try {
          parseDn(text);
        } catch (error) {
          expect(error).toBeInstanceOf(DnSyntaxError);
        }
      }),
      PROPERTY_RUNS,
    );
  });
});
