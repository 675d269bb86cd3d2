import fc from 'fast-check';
import { guidBase, guidToString, sidToString } from '../../../agent/directory/ad-binary';

// ---------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------

/** [objectGUID bytes (hex), canonical string]: the first three groups are little-endian. */
const GUIDS: ReadonlyArray<readonly [string, string]> = [
  ['00112233445566778899aabbccddeeff', '33221100-5544-7766-8899-aabbccddeeff'],
  ['0102030405060708090a0b0c0d0e0f10', '04030201-0605-0807-090a-0b0c0d0e0f10'],
  ['00000000000000000000000000000000', '00000000-0000-0000-0000-000000000000'],
  ['ffffffffffffffffffffffffffffffff', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
];

/** [objectSid bytes (hex), string form] */
const SIDS: ReadonlyArray<readonly [string, string]> = [
  ['0102000000000005' + '20000000' + '20020000', 'S-1-5-32-544'], // BUILTIN\Administrators
  ['0105000000000005' + '15000000' + '01000000' + '02000000' + '03000000' + '00020000', 'S-1-5-21-1-2-3-512'], // Domain Admins of a toy domain
  [
    '0105000000000005' + '15000000' + 'c7f7fed7' + '7c7755c8' + '94585e01' + 'f5030000',
    'S-1-5-21-3623811015-3361044348-22960276-1013',
  ],
  ['0101000000000001' + '00000000', 'S-1-1-0'], // Everyone
  ['0101000000000005' + '12000000', 'S-1-5-18'], // Local System
  ['0100000000000000', 'S-1-0'], // no sub-authorities
  ['0101000000000005' + 'ffffffff', 'S-1-5-4294967295'], // sub-authorities are unsigned
  ['0101' + '010203040506' + '00000080', 'S-1-1108152157446-2147483648'], // 48-bit big-endian authority
];

/** Byte strings that are not SIDs: [hex, error] */
const BAD_SIDS: ReadonlyArray<readonly [string, RegExp]> = [
  ['', /too short/],
  ['01050000000000', /too short/],
  ['0102000000000005' + '20000000', /truncated/],
  ['0101000000000005' + '120000', /truncated/],
  ['01ff000000000005' + '15000000', /truncated/],
];

/** Strings that must never become a search base. */
const NOT_GUIDS: readonly string[] = [
  '',
  'not-a-guid',
  '33221100-5544-7766-8899-aabbccddeeff>',
  '33221100-5544-7766-8899-aabbccddeeff>,CN=Users,DC=corp',
  '33221100-5544-7766-8899-aabbccddeeff,CN=x',
  '<GUID=33221100-5544-7766-8899-aabbccddeeff>',
  '{33221100-5544-7766-8899-aabbccddeeff}',
  '33221100554477668899aabbccddeeff',
  '33221100-5544-7766-8899-aabbccddeeff\n',
  ' 33221100-5544-7766-8899-aabbccddeeff',
  'g3221100-5544-7766-8899-aabbccddeeff',
  '33221100-5544-7766-8899-aabbccddeef',
  '33221100-5544-7766-8899-aabbccddeeff0',
  '*',
  'CN=Administrator,CN=Users,DC=corp',
];

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The inverse of guidToString, written independently: the string back to objectGUID bytes. */
function guidToBytes(guid: string): Uint8Array {
  const [a, b, c, d, e] = guid.split('-') as [string, string, string, string, string];
  const le = (hex: string) => Buffer.from(hex, 'hex').reverse();
  return Uint8Array.from(Buffer.concat([le(a), le(b), le(c), Buffer.from(d + e, 'hex')]));
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('guidToString', () => {
  it.each(GUIDS)('%s → %s', (hex, guid) => {
    expect(guidToString(bytes(hex))).toBe(guid);
  });

  it.each([0, 15, 17, 32])('rejects %i bytes', (length) => {
    expect(() => guidToString(new Uint8Array(length))).toThrow(`objectGUID must be 16 bytes, got ${length}`);
  });

  it('is lower-case, canonical and reversible for any 16 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        const guid = guidToString(b);
        expect(guid).toMatch(GUID_RE);
        expect(guidToBytes(guid)).toEqual(b);
        expect(guidBase(guid)).toBe(`<GUID=${guid}>`);
      }),
    );
  });
});

describe('sidToString', () => {
  it.each(SIDS)('%s → %s', (hex, sid) => {
    expect(sidToString(bytes(hex))).toBe(sid);
  });

  it.each(BAD_SIDS)('rejects %j', (hex, error) => {
    expect(() => sidToString(bytes(hex))).toThrow(error);
  });

  it('encodes any revision-1 SID that it decodes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 48n - 1n }),
        fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 15 }),
        (authority, subs) => {
          const b = Buffer.alloc(8 + subs.length * 4);
          b[0] = 1;
          b[1] = subs.length;
          b.writeUIntBE(Number(authority), 2, 6);
          subs.forEach((s, i) => b.writeUInt32LE(s, 8 + i * 4));
          expect(sidToString(Uint8Array.from(b))).toBe(['S', 1, authority, ...subs].join('-'));
        },
      ),
    );
  });
});

describe('guidBase', () => {
  it.each([
    ['33221100-5544-7766-8899-aabbccddeeff', '<GUID=33221100-5544-7766-8899-aabbccddeeff>'],
    ['33221100-5544-7766-8899-AABBCCDDEEFF', '<GUID=33221100-5544-7766-8899-AABBCCDDEEFF>'],
  ])('accepts %s', (guid, base) => {
    expect(guidBase(guid)).toBe(base);
  });

  it.each(NOT_GUIDS)('rejects %j', (text) => {
    expect(() => guidBase(text)).toThrow('not a GUID');
  });

  it('whatever it accepts is exactly <GUID=hex-and-dashes>', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: fc.constantFrom('0', 'a', 'F', '-', '>', ',', '\n', 'x') }), fc.uuid()),
        (text) => {
          let base: string;
          try {
            base = guidBase(text);
          } catch {
            expect(text).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
            return;
          }
          expect(base).toMatch(/^<GUID=[0-9a-fA-F-]{36}>$/);
        },
      ),
    );
  });
});
