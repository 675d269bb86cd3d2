import fc from 'fast-check';
import {
  and,
  eq,
  escapeFilterValue,
  gte,
  inChain,
  isUserAccount,
  or,
  present,
} from '../../../agent/directory/ldap-filter';

// ---------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------

/** [value, escaped] — RFC 4515 §3: `*`, `(`, `)`, `\` and NUL become `\XX`; everything else stays. */
const ESCAPES: ReadonlyArray<readonly [string, string]> = [
  ['plain', 'plain'],
  ['', ''],
  ['*', '\\2a'],
  ['(', '\\28'],
  [')', '\\29'],
  ['\\', '\\5c'],
  ['\0', '\\00'],
  ['a\\2a', 'a\\5c2a'], // an escape written by the attacker is itself escaped
  ['*)(objectClass=*', '\\2a\\29\\28objectClass=\\2a'],
  ['x)(|(cn=*)', 'x\\29\\28|\\28cn=\\2a\\29'],
  ['admin*', 'admin\\2a'],
  ["O'Brien, Jr. & Sons = <ok>", "O'Brien, Jr. & Sons = <ok>"],
  ['José 😀', 'José 😀'],
];

/** [filter built by the module, expected text] */
const SHAPES: ReadonlyArray<readonly [string, string, string]> = [
  ['eq', eq('cn', '*)(objectClass=*'), '(cn=\\2a\\29\\28objectClass=\\2a)'],
  ['eq', eq('employeeID', '100234'), '(employeeID=100234)'],
  ['gte', gte('uSNChanged', '4711'), '(uSNChanged>=4711)'],
  ['gte', gte('uSNChanged', '1)(x=*'), '(uSNChanged>=1\\29\\28x=\\2a)'],
  ['present', present('mail'), '(mail=*)'],
  [
    'inChain',
    inChain('memberOf', 'CN=Domain Admins,CN=Users,DC=corp'),
    '(memberOf:1.2.840.113556.1.4.1941:=CN=Domain Admins,CN=Users,DC=corp)',
  ],
  [
    'inChain',
    inChain('memberOf', 'CN=G\\, (x)*,DC=corp'),
    '(memberOf:1.2.840.113556.1.4.1941:=CN=G\\5c, \\28x\\29\\2a,DC=corp)',
  ],
  ['and of one', and(eq('cn', 'a')), '(cn=a)'],
  ['and', and(eq('cn', 'a'), eq('sn', 'b')), '(&(cn=a)(sn=b))'],
  ['or of one', or(eq('cn', 'a')), '(cn=a)'],
  ['or', or(eq('cn', 'a'), eq('cn', 'b'), present('mail')), '(|(cn=a)(cn=b)(mail=*))'],
  [
    'nested',
    and(eq('objectClass', 'user'), or(eq('employeeID', '1'), eq('mail', 'a@b'))),
    '(&(objectClass=user)(|(employeeID=1)(mail=a@b)))',
  ],
];

/** Attribute names that must be refused: each would let the name itself change the filter. */
const BAD_ATTRIBUTES: readonly string[] = [
  'cn)(x',
  '',
  '1cn',
  '-cn',
  'cn=*',
  'cn x',
  'cn;binary',
  '(cn',
  'cn)',
  'cn\0',
  'cn*',
  'cn\\',
  'cn\n',
  'cn:1.2.3:',
  'é',
];
const GOOD_ATTRIBUTES: readonly string[] = [
  'cn',
  'sAMAccountName',
  'msDS-UserPasswordExpiryTimeComputed',
  'extensionAttribute15',
  'c',
];

const BUILDERS: ReadonlyArray<readonly [string, (name: string) => string]> = [
  ['eq', (name) => eq(name, 'v')],
  ['gte', (name) => gte(name, 'v')],
  ['present', (name) => present(name)],
  ['inChain', (name) => inChain(name, 'CN=g,DC=x')],
];

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

/** Depth never negative and back to zero at the end; escapes contain no parentheses, so every one counts. */
function balanced(filter: string): boolean {
  let depth = 0;
  for (const ch of filter) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Decodes RFC 4515 `\XX` escapes (only single bytes are ever escaped here). */
function unescapeFilterValue(escaped: string): string {
  return escaped.replace(/\\([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const anyValue = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ unit: fc.constantFrom('*', '(', ')', '\\', '\0', '=', '|', '&', '!', 'a', '2', 'c', 'objectClass') }),
);

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('escapeFilterValue', () => {
  it.each(ESCAPES)('escapes %j as %j', (value, escaped) => {
    expect(escapeFilterValue(value)).toBe(escaped);
  });
});

describe('filter shapes', () => {
  it.each(SHAPES)('%s → %s', (_name, filter, expected) => {
    expect(filter).toBe(expected);
  });
});

describe('isUserAccount', () => {
  // Its exact text is a tuning choice (indexed parts); what it must be is one balanced filter on user objects.
  it('is one balanced filter that requires objectClass=user', () => {
    expect(isUserAccount.startsWith('(')).toBe(true);
    expect(balanced(isUserAccount)).toBe(true);
    expect(isUserAccount).toContain('(objectClass=user)');
    expect(and(isUserAccount, eq('cn', 'x'))).toBe(`(&${isUserAccount}(cn=x))`);
  });
});

describe('attribute names', () => {
  const cases = BUILDERS.flatMap(([builder, build]) => BAD_ATTRIBUTES.map((name) => [builder, name, build] as const));
  it.each(cases)('%s refuses %j', (_builder, name, build) => {
    expect(() => build(name)).toThrow(/not an attribute name/);
  });

  const good = BUILDERS.flatMap(([builder, build]) => GOOD_ATTRIBUTES.map((name) => [builder, name, build] as const));
  it.each(good)('%s accepts %j', (_builder, name, build) => {
    expect(build(name).startsWith(`(${name}`)).toBe(true);
  });
});

describe('properties', () => {
  it('eq(cn, v) is one balanced item with no unescaped *, ( or ), and decodes back to v', () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        const filter = eq('cn', v);
        expect(balanced(filter)).toBe(true);
        expect(filter.startsWith('(cn=')).toBe(true);
        expect(filter.endsWith(')')).toBe(true);
        const inner = filter.slice('(cn='.length, -1);
        // Once the escapes are removed nothing special is left: no *, (, ), \ or NUL.
        expect(inner.replace(/\\[0-9a-f]{2}/g, '')).not.toMatch(/[*()\\\0]/);
        expect(unescapeFilterValue(inner)).toBe(v);
      }),
      { numRuns: 1000 },
    );
  });

  it('compositions of escaped items stay balanced', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { minLength: 1, maxLength: 5 }), anyValue, (values, dn) => {
        const filter = and(
          isUserAccount,
          or(...values.map((v) => eq('mail', v))),
          inChain('memberOf', dn),
          gte('uSNChanged', dn),
        );
        expect(balanced(filter)).toBe(true);
      }),
    );
  });
});
