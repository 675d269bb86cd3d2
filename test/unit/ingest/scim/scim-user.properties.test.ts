/**
 * Adversarial SCIM users, checked with fast-check and tables: arbitrary JSON as `data` (and as a whole
 * request) never throws and always ends in a record or a SCIM error whose detail holds no raw control or
 * line-breaking character; names in every script convert as written; a control character inside a name
 * fails naming the name's SCIM attribute.
 */
import fc from 'fast-check';
import {
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  parseBulkRequest,
  operationProblem,
} from '../../../../shared/ingest/scim';
import { workerSchema } from '../../../../shared/worker';
import { CONTOSO, convert, LIMITS, recordOf, scimUser } from './fixtures';

// eslint-disable-next-line no-control-regex -- what a detail must never hold raw
const UNSAFE_IN_DETAIL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** JSON whose keys and strings are full Unicode (controls, bidi, lone surrogates included). */
const anyJson = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });

/** A SCIM user with arbitrary values in the places a converter reads. */
const scimLike = fc.record(
  {
    schemas: fc.oneof(fc.constant([CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, CONTOSO]), anyJson),
    externalId: fc.oneof(fc.string({ unit: 'binary' }), anyJson),
    name: fc.oneof(fc.record({ givenName: fc.string({ unit: 'binary' }), familyName: anyJson }), anyJson),
    emails: fc.oneof(fc.array(fc.record({ value: anyJson, type: anyJson, primary: anyJson })), anyJson),
    active: anyJson,
    userType: anyJson,
    [ENTERPRISE_USER_SCHEMA]: fc.oneof(fc.dictionary(fc.string({ unit: 'binary' }), anyJson), anyJson),
    [CONTOSO]: fc.oneof(
      fc.record({ HireDate: anyJson, LeaveDate: anyJson }),
      fc.dictionary(fc.string({ unit: 'binary' }), anyJson),
    ),
  },
  { requiredKeys: [] },
);

function expectSafe(result: ReturnType<typeof convert>): void {
  if (result.ok) return;
  expect(result.error.status === 400 || result.error.status === 500).toBe(true);
  expect(result.error.detail).not.toMatch(UNSAFE_IN_DETAIL);
  if (result.error.attribute !== null) expect(result.error.attribute).not.toMatch(UNSAFE_IN_DETAIL);
}

describe('arbitrary input', () => {
  it('arbitrary JSON as data: a record or a safe SCIM error, never a throw', () => {
    fc.assert(
      fc.property(anyJson, (data) => expectSafe(convert(data))),
      { numRuns: 500 },
    );
  });

  it('SCIM-shaped users with arbitrary values: the same', () => {
    fc.assert(
      fc.property(scimLike, (data) => expectSafe(convert(data))),
      { numRuns: 1000 },
    );
  });

  it('a record it returns passes the worker schema again (the planner parses it)', () => {
    fc.assert(
      fc.property(scimLike, (data) => {
        const result = convert(data);
        if (result.ok) expect(workerSchema.safeParse(result.record).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary JSON as a request, and as each operation: a parse or a safe error, never a throw', () => {
    const body = fc.oneof(
      anyJson,
      fc.record({ schemas: fc.constant(['urn:ietf:params:scim:api:messages:2.0:BulkRequest']), Operations: anyJson }),
    );
    fc.assert(
      fc.property(body, (value) => {
        const parsed = parseBulkRequest(value, LIMITS);
        if (!parsed.ok) expect(parsed.error.detail).not.toMatch(UNSAFE_IN_DETAIL);
        else
          for (const op of parsed.operations) {
            const problem = operationProblem(op);
            if (problem) expect(problem.detail).not.toMatch(UNSAFE_IN_DETAIL);
          }
      }),
      { numRuns: 500 },
    );
  });
});

const NAMES: [script: string, given: string, family: string, nick: string][] = [
  ['Latin with diacritics', 'Zoë', 'Ødegård-Núñez', 'Zo'],
  ['Cyrillic', 'Анна', 'Каренина', 'Аня'],
  ['Greek', 'Αλέξανδρος', 'Παπαδόπουλος', 'Αλέκος'],
  ['Arabic', 'فاطمة', 'الزهراء', 'فطوم'],
  ['Hebrew', 'אברהם', 'כהן', 'אבי'],
  ['CJK', '美咲', '佐藤', 'みさき'],
  ['Hangul', '민준', '김', '준'],
  ['Devanagari', 'प्रिया', 'शर्मा', 'प्रि'],
  ['Thai', 'สมชาย', 'ใจดี', 'ชาย'],
  ['emoji with joiners', '👩‍💻', 'Smith🏳️‍🌈', '🦄'],
];

describe('names in every script', () => {
  it.each(NAMES)('%s', (_script, given, family, nick) => {
    const { record } = recordOf(scimUser({ name: { givenName: given, familyName: family }, nickName: nick }));
    expect(record.legalName).toEqual({ first: given, middle: null, last: family });
    expect(record.preferredName).toEqual({ first: nick, middle: null, last: null });
  });
});

const CONTROL: [attribute: string, data: Record<string, unknown>][] = [
  ['name.givenName', { name: { givenName: 'A\u0007da', familyName: 'Lovelace' } }],
  ['name.familyName', { name: { givenName: 'Ada', familyName: 'Lov\u0000elace' } }],
  ['name.middleName', { name: { givenName: 'Ada', middleName: 'Ki\u001bng', familyName: 'Lovelace' } }],
  ['nickName', { nickName: 'A\u0085da' }],
];

describe('control characters inside names', () => {
  it.each(CONTROL)('%s', (attribute, extra) => {
    const result = convert(scimUser(extra));
    expect(result).toMatchObject({
      ok: false,
      externalId: '1001',
      error: { status: 400, scimType: 'invalidValue', attribute },
    });
    expect(!result.ok && result.error.detail).toMatch(
      new RegExp(`^${attribute.replace('.', '\\.')}: contains control character U\\+00`),
    );
  });

  it('any C0/C1 control inside a family name in any script fails naming name.familyName', () => {
    const control = fc
      .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
      .map((c) => String.fromCharCode(c));
    const name = fc.constantFrom(...NAMES.map(([, , family]) => family));
    fc.assert(
      fc.property(name, control, (family, ch) => {
        const chars = Array.from(family);
        const at = Math.floor(chars.length / 2) || 1;
        const broken = [...chars.slice(0, at), ch, ...chars.slice(at), 'x'].join('');
        const result = convert(scimUser({ name: { givenName: 'Ada', familyName: broken } }));
        expect(result).toMatchObject({ ok: false, error: { attribute: 'name.familyName', scimType: 'invalidValue' } });
        expect(!result.ok && result.error.detail).not.toMatch(UNSAFE_IN_DETAIL);
      }),
    );
  });
});
