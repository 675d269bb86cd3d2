/**
 * What the connector contract does not cover for SuccessFactors, against the fake (every test ends
 * asserting the fake saw no request SuccessFactors would refuse). Today is 2026-06-01.
 *
 * | case                          | expectation                                                                  |
 * |-------------------------------|------------------------------------------------------------------------------|
 * | token cache                   | one token for many reads; a new one once within 5 minutes of expires_in      |
 * | token refused early (LGN0006) | dropped, a new token asked for, the read completes                           |
 * | Basic auth                    | `user@company:password`; a wrong password names the source, never the secret |
 * | requests sent                 | `$format=json`, `customPageSize`, PerPerson as of today, EmpJob from today    |
 * | delta requests                | one `lastModifiedDateTime gt` per entity, then only the changed persons      |
 * | pre-hire                      | re-read with `asOfDate=<start date>`                                         |
 * | fake validation               | an unknown option, property or filter answers 400 with SAP's error body      |
 * | config                        | the settings schema accepts OAuth and Basic and refuses a page over 1,000    |
 */
import type { HrSnapshotRead } from '../../../../../shared/ports/hr-source.port';
import type { WorkerInput } from '../../../../../shared/worker/worker-schema';
import { SuccessFactorsSource } from '../../../../../functions/sources/connectors/successfactors/successfactors-hr-source';
import { successfactorsSourceSettings } from '../../../../../functions/sources/connectors/successfactors/successfactors-source-config';
import type { SuccessFactorsCredentials } from '../../../../../functions/sources/connectors/successfactors/successfactors-auth';
import { RecordingLogger, contractPerson } from '../contract/connector-contract';
import { SuccessFactorsDriver } from './successfactors-driver';

const driver = new SuccessFactorsDriver();
let now: Date;
let nextId = 1;

beforeAll(() => driver.start());
afterAll(() => driver.close());
beforeEach(() => {
  now = new Date('2026-06-01T13:00:00Z');
  driver.restoreCredentials();
  driver.resetRequests();
});
afterEach(() => {
  expect(driver.takeInvalidRequests()).toEqual([]);
});

function hire(overrides: Parameters<typeof contractPerson>[1] = {}): string {
  const id = String(nextId++);
  driver.hire(contractPerson(id, overrides));
  return id;
}

function source(credentials?: SuccessFactorsCredentials): SuccessFactorsSource {
  const oauth = driver.source({
    id: 'hr-sf',
    source: 'sf',
    clock: { now: () => now },
    logger: new RecordingLogger(),
    pageSize: 100,
    sleep: async () => {},
    random: () => 0,
  });
  if (!credentials) return oauth;
  return new SuccessFactorsSource({
    id: 'hr-sf',
    source: 'sf',
    serverUrl: driver.fake.baseUrl,
    credentials,
    clock: { now: () => now },
    logger: new RecordingLogger(),
    http: { sleep: async () => {}, random: () => 0 },
  });
}

function snapshot(read: Awaited<ReturnType<SuccessFactorsSource['read']>>): HrSnapshotRead {
  if (read.kind !== 'snapshot') throw new Error(read.reason);
  return read;
}

const odata = () => driver.fake.requests.filter((r) => r.entity !== 'oauth/token');
const params = (query: string) => Object.fromEntries(new URLSearchParams(query));

describe('SuccessFactors OAuth token', () => {
  it('is asked for once and kept until five minutes before it expires', async () => {
    hire();
    const sf = source();
    await sf.read({ since: null });
    await sf.read({ since: null });
    expect(driver.fake.tokenRequests).toBe(1);
    now = new Date(now.getTime() + (86_400 - 301) * 1000);
    await sf.read({ since: null });
    expect(driver.fake.tokenRequests).toBe(1);
    now = new Date(now.getTime() + 2000);
    await sf.read({ since: null });
    expect(driver.fake.tokenRequests).toBe(2);
  });

  it('a token the API refuses early is dropped, a new one asked for, and the read completes', async () => {
    const id = hire();
    const sf = source();
    await sf.read({ since: null });
    driver.fake.expireTokens();
    const read = snapshot(await sf.read({ since: null }));
    expect((read.records as WorkerInput[]).map((r) => r.id)).toContain(id);
    expect(driver.fake.tokenRequests).toBe(2);
  });

  it('a refused token request names the source and carries neither key nor assertion', async () => {
    hire();
    driver.revokeCredentials();
    const error = await source()
      .read({ since: null })
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('SuccessFactors source hr-sf: the OAuth credentials were refused (401)');
  });
});

describe('SuccessFactors Basic auth', () => {
  const basic = (password: string): SuccessFactorsCredentials => ({
    kind: 'basic',
    companyId: driver.account.companyId,
    username: driver.account.username,
    password: async () => password,
  });

  it('reads with user@company:password', async () => {
    const id = hire();
    const read = snapshot(await source(basic(driver.account.password)).read({ since: null }));
    expect((read.records as WorkerInput[]).map((r) => r.id)).toContain(id);
    expect(driver.fake.tokenRequests).toBe(0);
  });

  it('a wrong password is an error naming the source, never the password', async () => {
    hire();
    const error = (await source(basic('wrong-secret-value'))
      .read({ since: null })
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('SuccessFactors source hr-sf: the credentials were refused (401)');
    expect(error.message).not.toContain('wrong-secret-value');
  });
});

describe('SuccessFactors requests', () => {
  it('a full read asks for JSON pages of PerPerson as of today and EmpJob slices from today on', async () => {
    hire();
    await source().read({ since: null });
    const [persons, jobs] = odata();
    expect(persons).toMatchObject({ path: '/odata/v2/PerPerson' });
    expect(params(persons!.query)).toEqual({
      $format: 'json',
      customPageSize: '100',
      asOfDate: '2026-06-01',
      $expand: 'personalInfoNav,emailNav,phoneNav,employmentNav,employmentNav/userNav',
    });
    expect(params(jobs!.query)).toMatchObject({ $format: 'json', fromDate: '2026-06-01', toDate: '9999-12-31' });
  });

  it('a delta asks each entity what changed, then reads only the changed persons', async () => {
    hire();
    const b = hire();
    const full = snapshot(await source().read({ since: null }));
    driver.changeEmail(b, `new${b}@example.com`);
    driver.resetRequests();
    const delta = snapshot(await source().read({ since: full.cursor }));
    expect((delta.records as WorkerInput[]).map((r) => r.id)).toEqual([b]);
    const asked = odata().slice(0, 6);
    expect(asked.map((r) => r.path.split('/').at(-1))).toEqual([
      'PerPerson',
      'PerPersonal',
      'PerEmail',
      'PerPhone',
      'EmpEmployment',
      'EmpJob',
    ]);
    for (const request of asked)
      expect(params(request.query).$filter).toBe(`lastModifiedDateTime gt datetimeoffset'${full.cursor}'`);
    expect(params(odata()[6]!.query).$filter).toBe(`personIdExternal in '${b}'`);
  });

  it('a pre-hire is read again as of its start date', async () => {
    const joiner = hire({ hireDate: '2026-09-01' });
    const read = snapshot(await source().read({ workerIds: [joiner] }));
    expect((read.records as WorkerInput[])[0]).toMatchObject({ id: joiner, legalName: { first: `Given${joiner}` } });
    expect(odata().some((r) => params(r.query).asOfDate === '2026-09-01')).toBe(true);
  });
});

describe('the fake SuccessFactors refuses what SuccessFactors refuses', () => {
  const cases: [string, string][] = [
    ['an unknown query option', '$format=json&$inlinecount=allpages'],
    ['an unknown property in $filter', "$format=json&$filter=nickName eq 'x'"],
    ['a filter that does not parse', "$format=json&$filter=personIdExternal eq 'x' and"],
    ['an unknown navigation in $expand', '$format=json&$expand=jobInfoNav'],
    ['asOfDate with fromDate', '$format=json&asOfDate=2026-06-01&fromDate=2026-06-01'],
    ['no $format=json', ''],
  ];
  it.each(cases)('%s: 400 with an OData error body, recorded', async (_case, query) => {
    const response = await fetch(`${driver.fake.baseUrl}/odata/v2/PerPerson?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: { lang: string; value: string } } };
    expect(body.error.message.lang).toBe('en-US');
    expect(driver.takeInvalidRequests()).toHaveLength(1);
  });

  it('an unknown entity set answers COE_ENTITY_NOT_FOUND', async () => {
    const response = await fetch(`${driver.fake.baseUrl}/odata/v2/FormHeader?$format=json`);
    expect(await response.json()).toMatchObject({ error: { code: 'COE_ENTITY_NOT_FOUND' } });
    expect(driver.takeInvalidRequests()).toHaveLength(1);
  });
});

describe('SuccessFactors settings', () => {
  const base = { kind: 'successfactors', id: 'hr-sf', source: 'sf', baseUrl: 'https://api4.successfactors.com' };
  const oauth = { kind: 'oauth', companyId: 'ACME', clientId: 'abc', userId: 'api', privateKey: { secret: 'sf-key' } };

  it('accepts OAuth and Basic, with defaults', () => {
    expect(successfactorsSourceSettings.parse({ ...base, auth: oauth })).toMatchObject({
      pageSize: 500,
      schedule: '0 */15 * * * *',
    });
    const basic = { kind: 'basic', companyId: 'ACME', username: 'api', password: { secret: 'sf-password' } };
    expect(successfactorsSourceSettings.safeParse({ ...base, auth: basic }).success).toBe(true);
  });

  it.each([
    ['a page over 1,000', { ...base, auth: oauth, pageSize: 1001 }],
    ['plain http to another host', { ...base, baseUrl: 'http://api4.successfactors.com', auth: oauth }],
    ['an inlined key', { ...base, auth: { ...oauth, privateKey: '-----BEGIN PRIVATE KEY-----' } }],
    ['an unknown key', { ...base, auth: oauth, delta: true }],
  ])('refuses %s', (_case, settings) => {
    expect(successfactorsSourceSettings.safeParse(settings).success).toBe(false);
  });
});
