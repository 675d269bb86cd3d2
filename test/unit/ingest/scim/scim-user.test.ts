/**
 * SCIM user → canonical worker. Microsoft's samples field by field; then tables: `active` × the
 * `activeOmitted` setting (status, termination date, keepStatus); userType through the map; hire and
 * leave dates; custom extensions; and malformed users, each failing with the SCIM attribute named.
 */
import {
  ENTERPRISE_USER_SCHEMA,
  scimUserMapping,
  workerFromScimUser,
  type ScimType,
} from '../../../../shared/ingest/scim';
import {
  CONTOSO,
  context,
  convert,
  CORE_ENTERPRISE_SAMPLE,
  CUSTOM_ATTRIBUTES_SAMPLE,
  recordOf,
  sample,
  scimUser,
  withContoso,
  type Json,
} from './fixtures';

const SAP = 'urn:ietf:params:scim:schemas:extension:sap:2.0:User';

describe('Microsoft samples', () => {
  it('core + enterprise, operation 0: every mapped field', () => {
    const result = recordOf(sample(CORE_ENTERPRISE_SAMPLE).Operations[0]!.data);
    expect(result.externalId).toBe('701984');
    expect(result.keepStatus).toBe(false);
    expect(result.record).toEqual({
      source: 'scim',
      id: '701984',
      legalName: { first: 'Barbara', middle: 'Jane', last: 'Jensen' },
      preferredName: { first: 'Babs', middle: null, last: null },
      email: 'bjensen@example.com',
      phone: { work: '555-555-5555', mobile: null },
      location: 'Hollywood',
      title: 'Tour Guide',
      timeZone: 'America/Los_Angeles',
      employeeType: 'employee',
      department: 'Tour Operations',
      costCenter: '4130',
      company: 'Universal Studios',
      managerId: '89607',
      employmentStatus: 'active',
      // The sap extension's lower-case hireDate matches the HireDate attribute ignoring case.
      hireDate: '2020-01-01',
      terminationDate: null,
      customFields: {
        payGrade: 'Level-2',
        onLeave: 'False',
        EmployeeNumber: '701984',
        Division: 'Theme Park',
        UserName: 'bjensen@example.com',
        DisplayName: 'Babs Jensen',
        PreferredLanguage: 'en-US',
        Locale: 'en-US',
      },
    });
  });

  it.each([
    [1, '807609'],
    [2, '807600'],
  ])('core + enterprise, operation %d: no name, so it fails alone naming name.givenName', (index, externalId) => {
    const result = convert(sample(CORE_ENTERPRISE_SAMPLE).Operations[index]!.data);
    expect(result).toEqual({
      ok: false,
      externalId,
      error: {
        status: 400,
        scimType: 'invalidValue',
        attribute: 'name.givenName',
        detail: 'name.givenName: is required (and 1 more problem)',
      },
    });
  });

  it.each([
    [0, 'Barbara', '701984', '89607', '2021-05-01', 'TG-1001', 'Tour Guide'],
    [1, 'Kathy', '701985', '701984', '2022-07-15', 'TL-1003', 'Tour Lead'],
  ])(
    'custom attributes, operation %d (%s): contoso HireDate and JobCode',
    (index, first, id, manager, hire, job, title) => {
      const { record } = recordOf(sample(CUSTOM_ATTRIBUTES_SAMPLE).Operations[index]!.data);
      expect(record).toMatchObject({
        id,
        legalName: { first, middle: 'Jane', last: 'Jensen' },
        preferredName: { first: first === 'Barbara' ? 'Babs' : 'Kathy', middle: null, last: null },
        title,
        managerId: manager,
        // -05:00 is not applied: the calendar date is taken as written.
        hireDate: hire,
        employmentStatus: 'active',
        terminationDate: null,
        location: 'Hollywood',
      });
      // HireDate is one of hr2ad's own attribute names ([HireDate] reads record.hireDate), so no custom field.
      expect(record.customFields).toEqual({
        JobCode: job,
        EmployeeNumber: '701984',
        Division: 'Theme Park',
        UserName: index === 0 ? 'bjensen@example.com' : 'Kjensen@example.com',
        DisplayName: index === 0 ? 'Babs Jensen' : 'Kathy Jensen',
        PreferredLanguage: 'en-US',
        Locale: 'en-US',
      });
    },
  );
});

type ActiveRow = [
  active: boolean | undefined,
  activeOmitted: 'keep' | 'disable',
  leaveDate: string | undefined,
  expected: { status: string; termination: string | null; keepStatus: boolean },
];

// Received 2026-03-10; hired 2024-01-08 unless said otherwise.
const ACTIVE: ActiveRow[] = [
  [true, 'keep', undefined, { status: 'active', termination: null, keepStatus: false }],
  [true, 'disable', undefined, { status: 'active', termination: null, keepStatus: false }],
  [false, 'keep', undefined, { status: 'terminated', termination: '2026-03-09', keepStatus: false }],
  [false, 'disable', undefined, { status: 'terminated', termination: '2026-03-09', keepStatus: false }],
  [undefined, 'keep', undefined, { status: 'active', termination: null, keepStatus: true }],
  [undefined, 'disable', undefined, { status: 'terminated', termination: '2026-03-09', keepStatus: false }],
  [true, 'keep', '2026-04-30', { status: 'active', termination: '2026-04-30', keepStatus: false }],
  [false, 'keep', '2026-02-27', { status: 'terminated', termination: '2026-02-27', keepStatus: false }],
  [false, 'keep', '2026-04-30', { status: 'terminated', termination: '2026-04-30', keepStatus: false }],
  [undefined, 'keep', '2026-04-30', { status: 'active', termination: '2026-04-30', keepStatus: true }],
  [undefined, 'disable', '2026-02-27', { status: 'terminated', termination: '2026-02-27', keepStatus: false }],
];

describe('active × activeOmitted × leave date', () => {
  it.each(ACTIVE)('active %p, omitted means %s, LeaveDate %p', (active, activeOmitted, leaveDate, expected) => {
    const contoso: Json = { HireDate: '2024-01-08', ...(leaveDate ? { LeaveDate: leaveDate } : {}) };
    const result = recordOf(withContoso(contoso, { active }), { activeOmitted });
    expect([result.record.employmentStatus, result.record.terminationDate, result.keepStatus]).toEqual([
      expected.status,
      expected.termination,
      expected.keepStatus,
    ]);
    expect(result.record.hireDate).toBe('2024-01-08');
    // LeaveDate is not one of hr2ad's own names, so it is kept as a custom field as well.
    if (leaveDate) expect(result.record.customFields).toMatchObject({ LeaveDate: leaveDate });
  });
});

type DateRow = [
  situation: string,
  contoso: Json | null,
  active: boolean,
  hire: string,
  termination: string | null,
  status: string,
];

const DATES: DateRow[] = [
  ['no hire date: the day the request arrived', null, true, '2026-03-10', null, 'active'],
  ['date', { HireDate: '2020-01-01' }, true, '2020-01-01', null, 'active'],
  ['date-time in UTC', { HireDate: '2020-01-01T00:00:00Z' }, true, '2020-01-01', null, 'active'],
  [
    'date-time late in a negative offset',
    { HireDate: '2020-01-01T23:30:00-05:00' },
    true,
    '2020-01-01',
    null,
    'active',
  ],
  ['date-time with fraction', { HireDate: '2020-02-29T08:00:00.123+0100' }, true, '2020-02-29', null, 'active'],
  ['empty hire date is absent', { HireDate: '' }, true, '2026-03-10', null, 'active'],
  ['hire date named in another case', { hiredate: '2019-05-06' }, true, '2019-05-06', null, 'active'],
  ['leaver without hire date: hired no later than the last day', null, false, '2026-03-09', '2026-03-09', 'terminated'],
  ['hire not yet begun, active false: rescinded', { HireDate: '2026-04-01' }, false, '2026-04-01', null, 'rescinded'],
  ['hire today, active false: rescinded', { HireDate: '2026-03-10' }, false, '2026-03-10', null, 'rescinded'],
  [
    'future hire with its last day given, active false',
    { HireDate: '2026-04-01', LeaveDate: '2026-04-30' },
    false,
    '2026-04-01',
    '2026-04-30',
    'terminated',
  ],
];

describe('dates', () => {
  it.each(DATES)('%s', (_situation, contoso, active, hire, termination, status) => {
    const data = contoso ? withContoso(contoso, { active }) : scimUser({ active });
    const { record } = recordOf(data);
    expect([record.hireDate, record.terminationDate, record.employmentStatus]).toEqual([hire, termination, status]);
  });

  it('reads the hire and leave dates from attributes the mapping names', () => {
    const { record } = recordOf(withContoso({ StartDate: '2021-02-03', LastDay: '2027-01-31' }), {
      hireDateAttribute: 'StartDate',
      leaveDateAttribute: 'LastDay',
    });
    expect([record.hireDate, record.terminationDate]).toEqual(['2021-02-03', '2027-01-31']);
    expect(record.customFields).toMatchObject({ StartDate: '2021-02-03', LastDay: '2027-01-31' });
  });
});

type TypeRow = [userType: string | undefined, mapping: Record<string, string> | undefined, expected: string];

const USER_TYPES: TypeRow[] = [
  [undefined, undefined, 'employee'],
  ['Employee', undefined, 'employee'],
  ['employee', undefined, 'employee'],
  ['Contractor', undefined, 'contractor'],
  ['CONTINGENT', undefined, 'contractor'],
  ['Intern', undefined, 'intern'],
  ['Temporary', undefined, 'temporary'],
  ['temp', undefined, 'temporary'],
  ['Other', undefined, 'other'],
  ['intern', { Intern: 'employee' }, 'employee'],
  ['Werkstudent', { werkstudent: 'intern' }, 'intern'],
  // A configured map replaces the default; canonical values still work.
  ['contractor', { Werkstudent: 'intern' }, 'contractor'],
  ['', undefined, 'employee'],
];

describe('userType', () => {
  it.each(USER_TYPES)('%p with map %p → %s', (userType, userTypes, expected) => {
    const mapping = userTypes ? { userTypes: scimUserMapping.shape.userTypes.parse(userTypes) } : {};
    expect(recordOf(scimUser({ userType }), mapping).record.employeeType).toBe(expected);
  });

  it('an unknown userType fails naming userType', () => {
    const result = convert(scimUser({ userType: 'Volunteer' }));
    expect(result).toMatchObject({
      ok: false,
      externalId: '1001',
      error: { status: 400, scimType: 'invalidValue', attribute: 'userType' },
    });
    expect(!result.ok && result.error.detail).toMatch(/^userType: "Volunteer" is not a known user type \(Employee, /);
  });
});

describe('multi-valued attributes', () => {
  const email = (value: string, type?: string, primary?: boolean) => ({ value, type, primary });
  it.each([
    [
      'the primary work one',
      [email('a@x.org', 'home', true), email('b@x.org', 'work'), email('c@x.org', 'work', true)],
      'c@x.org',
    ],
    [
      'else the first work one',
      [email('a@x.org', 'home', true), email('b@x.org', 'work'), email('c@x.org', 'Work')],
      'b@x.org',
    ],
    ['else the first', [email('a@x.org', 'home'), email('b@x.org', 'other', true)], 'a@x.org'],
    ['none', [], null],
  ])('email: %s', (_situation, emails, expected) => {
    expect(recordOf(scimUser({ emails })).record.email).toBe(expected);
  });

  it('phones by type, location from the work address, else the primary one, never another', () => {
    const phoneNumbers = [
      { value: '+1 555 0100', type: 'mobile' },
      { value: '+1 555 0101', type: 'work' },
      { value: '+1 555 0102', type: 'fax' },
    ];
    expect(recordOf(scimUser({ phoneNumbers })).record.phone).toEqual({ work: '+1 555 0101', mobile: '+1 555 0100' });
    const home = { type: 'home', locality: 'Springfield' };
    expect(recordOf(scimUser({ addresses: [home, { type: 'work', locality: 'Leeds' }] })).record.location).toBe(
      'Leeds',
    );
    expect(recordOf(scimUser({ addresses: [{ ...home, primary: true }] })).record.location).toBe('Springfield');
    expect(recordOf(scimUser({ addresses: [home] })).record.location).toBeNull();
  });
});

describe('custom extensions', () => {
  it('keeps strings, numbers, booleans, null and lists of strings under the attribute name', () => {
    const contoso = { JobCode: 'TG-2', Grade: 7, Remote: true, Badge: null, Skills: ['sql', 'go'] };
    expect(recordOf(withContoso(contoso)).record.customFields).toEqual(contoso);
  });

  it('the same custom field given twice with one value is fine', () => {
    const data = withContoso({ Division: 'Theme Park' }, { [ENTERPRISE_USER_SCHEMA]: { division: 'Theme Park' } });
    expect(recordOf(data).record.customFields).toEqual({ Division: 'Theme Park' });
  });
});

type ErrorRow = [
  situation: string,
  data: unknown,
  scimType: ScimType,
  attribute: string | null,
  detail: string | RegExp,
];

const C = CONTOSO;
const E = ENTERPRISE_USER_SCHEMA;

const ERRORS: ErrorRow[] = [
  ['data not an object', 'Ada', 'invalidSyntax', 'data', 'data: must be an object (the SCIM user)'],
  ['no externalId', scimUser({ externalId: undefined }), 'invalidValue', 'externalId', /^externalId: is required/],
  ['blank externalId', scimUser({ externalId: '  ' }), 'invalidValue', 'externalId', /^externalId: is required/],
  [
    'numeric externalId',
    scimUser({ externalId: 701984 }),
    'invalidSyntax',
    'externalId',
    'externalId: must be a string',
  ],
  [
    'no schemas',
    scimUser({ schemas: undefined }),
    'invalidSyntax',
    'schemas',
    'schemas: must be an array of schema URNs',
  ],
  [
    'schemas without the core schema',
    scimUser({ schemas: [E] }),
    'invalidSyntax',
    'schemas',
    /^schemas: must list urn:ietf:params:scim:schemas:core:2.0:User$/,
  ],
  [
    'an extension not listed in schemas',
    scimUser({ [SAP]: { payGrade: 'L2' } }),
    'invalidSyntax',
    SAP,
    `${SAP}: is not listed in schemas`,
  ],
  ['an extension that is not an object', scimUser({ [C]: 'x' }), 'invalidSyntax', C, `${C}: must be an object`],
  ['name a string', scimUser({ name: 'Ada Lovelace' }), 'invalidSyntax', 'name', 'name: must be an object'],
  [
    'givenName a number',
    scimUser({ name: { givenName: 1, familyName: 'L' } }),
    'invalidSyntax',
    'name.givenName',
    'name.givenName: must be a string',
  ],
  [
    'no familyName',
    scimUser({ name: { givenName: 'Ada' } }),
    'invalidValue',
    'name.familyName',
    'name.familyName: is required',
  ],
  ['emails not an array', scimUser({ emails: 'a@x.org' }), 'invalidSyntax', 'emails', 'emails: must be an array'],
  [
    'an email item not an object',
    scimUser({ emails: ['a@x.org'] }),
    'invalidSyntax',
    'emails',
    'emails: item 1 must be an object',
  ],
  [
    'primary not a boolean',
    scimUser({ emails: [{ value: 'a@x.org', primary: 'true' }] }),
    'invalidSyntax',
    'emails.primary',
    'emails.primary: must be true or false',
  ],
  [
    'not an e-mail address',
    scimUser({ emails: [{ value: 'nobody', type: 'work' }] }),
    'invalidValue',
    'emails[type eq "work"].value',
    'emails[type eq "work"].value: must be an e-mail address',
  ],
  ['active a string', scimUser({ active: 'True' }), 'invalidSyntax', 'active', 'active: must be true or false'],
  [
    'manager a string',
    scimUser({ [E]: { manager: '89607' } }),
    'invalidSyntax',
    `${E}:manager`,
    `${E}:manager: must be an object`,
  ],
  [
    'manager.value a control character',
    scimUser({ [E]: { manager: { value: '896\u000707' } } }),
    'invalidValue',
    `${E}:manager.value`,
    `${E}:manager.value: contains control character U+0007 at position 4`,
  ],
  [
    'department a list',
    scimUser({ [E]: { department: ['A'] } }),
    'invalidSyntax',
    `${E}:department`,
    `${E}:department: must be a string`,
  ],
  [
    'family name with BEL',
    scimUser({ name: { givenName: 'Ada', familyName: 'Lov\u0007elace' } }),
    'invalidValue',
    'name.familyName',
    'name.familyName: contains control character U+0007 at position 4',
  ],
  [
    'nickName with NUL',
    scimUser({ nickName: 'A\u0000da' }),
    'invalidValue',
    'nickName',
    'nickName: contains control character U+0000 at position 2',
  ],
  ['title over 1024 characters', scimUser({ title: 'x'.repeat(1025) }), 'invalidValue', 'title', /^title: /],
  [
    'custom attribute an object',
    withContoso({ Badge: { number: 7 } }),
    'invalidValue',
    `${C}:Badge`,
    `${C}:Badge: must be a string, a number, true/false, null or a list of strings`,
  ],
  [
    'custom attribute a list of numbers',
    withContoso({ Codes: [1, 2] }),
    'invalidValue',
    `${C}:Codes`,
    /must be a string, a number/,
  ],
  [
    'custom attribute name not usable',
    withContoso({ 'Job-Code': 'x' }),
    'invalidValue',
    `${C}:Job-Code`,
    /is not a usable attribute name/,
  ],
  [
    'custom attribute named like one of hr2ad’s own',
    withContoso({ Department: 'Sales' }),
    'invalidValue',
    `${C}:Department`,
    `${C}:Department: is the name of one of hr2ad's own attributes ([Department]); rename it in the extension`,
  ],
  [
    'custom field given twice with two values',
    withContoso({ division: 'Parks' }, { [E]: { division: 'Theme Park' } }),
    'invalidValue',
    `${E}:division`,
    `${E}:division: Division is also given by ${C}:division, with another value`,
  ],
  [
    'hire date not a date',
    withContoso({ HireDate: 'January 1st' }),
    'invalidValue',
    `${C}:HireDate`,
    `${C}:HireDate: "January 1st" is not a date (2020-01-01) or a date-time (2020-01-01T00:00:00Z)`,
  ],
  [
    'hire date not a real day',
    withContoso({ HireDate: '2021-02-29' }),
    'invalidValue',
    `${C}:HireDate`,
    `${C}:HireDate: "2021-02-29" is not a real calendar date (years 1900–2999)`,
  ],
  [
    'hire date a number',
    withContoso({ HireDate: 20200101 }),
    'invalidSyntax',
    `${C}:HireDate`,
    `${C}:HireDate: must be a date written as a string`,
  ],
  [
    'leave date before hire date',
    withContoso({ HireDate: '2024-01-08', LeaveDate: '2023-12-31' }),
    'invalidValue',
    `${C}:LeaveDate`,
    `${C}:LeaveDate: the last day of work 2023-12-31 is before the hire date 2024-01-08`,
  ],
];

describe('malformed users fail alone, naming the attribute', () => {
  it.each(ERRORS)('%s', (_situation, data, scimType, attribute, detail) => {
    const result = convert(data);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ status: 400, scimType, attribute });
    if (typeof detail === 'string') expect(result.error.detail).toBe(detail);
    else expect(result.error.detail).toMatch(detail);
  });

  it('names the worker when the externalId was readable', () => {
    expect(convert(scimUser({ title: 5 }))).toMatchObject({ ok: false, externalId: '1001' });
    expect(convert(scimUser({ externalId: undefined }))).toMatchObject({ ok: false, externalId: null });
  });

  it('quotes a long or hostile value escaped and cut to 40 characters', () => {
    const result = convert(withContoso({ HireDate: `\u202E${'9'.repeat(300)}\n` }));
    expect(!result.ok && result.error.detail).toBe(
      `${C}:HireDate: "\\u202E${'9'.repeat(38)}…" is not a date (2020-01-01) or a date-time (2020-01-01T00:00:00Z)`,
    );
  });

  it('an invalid source name is the endpoint’s fault (500), not the client’s', () => {
    const result = workerFromScimUser(scimUser(), { ...context(), source: 'Not A Source' });
    expect(result).toMatchObject({
      ok: false,
      externalId: '1001',
      error: { status: 500, scimType: null, attribute: null },
    });
    expect(!result.ok && result.error.detail).toMatch(/^the endpoint's source name: must be a lower-case name/);
  });
});
