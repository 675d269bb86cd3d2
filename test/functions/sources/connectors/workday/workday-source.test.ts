/**
 * The Workday source against the fake Workday, beyond the contract suite: the Get_Workers requests it
 * sends (read back by the fake, which validates each envelope), its credentials, and Workday's faults.
 * Today is 2026-06-01; every test ends asserting no request was invalid.
 *
 * | case                               | expectation                                                          |
 * |------------------------------------|----------------------------------------------------------------------|
 * | full read                          | no criteria; as of today and now; Count = page size; transaction log asked for; cursor = newest entry moment |
 * | delta                              | Updated_From = the cursor, Updated_Through = now                     |
 * | future hire                        | re-read by WID as of the hire date                                   |
 * | password with `<&"'`               | escaped in the envelope, accepted by the fake                         |
 * | password rotated between reads     | the next read uses the new one (read from the store per request)     |
 * | password refused                   | Client.authenticationError → named error, the password not in it     |
 * | password secret not set            | named error, no request sent                                          |
 * | a validation fault                 | the fault's code and message in the error                             |
 * | settings                           | defaults, user@tenant, the endpoint path, https or loopback, Count ≤ 999 |
 */
import type { HrRead, HrSnapshotRead } from '../../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../../shared/ports/logger.port';
import type { SecretStore } from '../../../../../shared/ports/secret-store.port';
import type { WorkerInput } from '../../../../../shared/worker/worker-schema';
import { WorkdaySource } from '../../../../../functions/sources/connectors/workday/workday-hr-source';
import {
  workdayEndpoint,
  workdaySourceFrom,
  workdaySourceSettings,
} from '../../../../../functions/sources/connectors/workday/workday-source-config';
import { FakeWorkday } from '../../../../harness/hr-fakes/workday/fake-workday';

const NOW = new Date('2026-06-01T13:00:00Z');
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

let fake: FakeWorkday;
let password: string | null;

beforeAll(async () => {
  fake = await FakeWorkday.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  password = 'fake-workday-password';
  fake.password = 'fake-workday-password';
  fake.resetRequests();
});
afterEach(() => {
  expect(fake.invalidRequests.splice(0)).toEqual([]);
});

function sourceWith(options: { version?: string; pageSize?: number } = {}): WorkdaySource {
  const version = options.version ?? fake.version;
  return new WorkdaySource({
    id: 'hr-workday',
    source: 'workday',
    endpoint: workdayEndpoint(fake.baseUrl, fake.tenant, fake.version),
    version,
    username: `${fake.username}@${fake.tenant}`,
    password: async () => password,
    clock: { now: () => NOW },
    logger: quiet,
    pageSize: options.pageSize ?? 50,
    http: { sleep: async () => {}, random: () => 0 },
  });
}

function snapshot(read: HrRead): HrSnapshotRead {
  if (read.kind !== 'snapshot') throw new Error(`expected a snapshot, got: ${read.reason}`);
  return read;
}

let nextId = 5000;
function hire(hireDate = '2021-03-01'): string {
  const id = String(nextId++);
  fake.hire({
    id,
    first: 'Ava',
    last: `Nguyen${id}`,
    email: `ava${id}@example.com`,
    hireDate,
    job: { title: 'Engineer', department: 'Engineering', location: 'Amsterdam', managerId: null, type: 'Regular' },
  });
  return id;
}

describe('Workday source', () => {
  it('full read: the whole company as of today and now, the transaction log asked for, cursor = newest entry', async () => {
    hire();
    const read = snapshot(await sourceWith().read({ since: null }));
    expect(fake.requests).toHaveLength(1);
    const { request } = fake.requests[0]!;
    expect(request).toMatchObject({
      username: 'ISU_hr2ad@acme',
      version: 'v43.0',
      references: null,
      updated: null,
      effective: null,
      asOfEffectiveDate: '2026-06-01',
      asOfEntryDateTime: NOW.toISOString(),
      page: 1,
      count: 50,
    });
    expect([...request.responseGroup]).toEqual(
      expect.arrayContaining(['Include_Personal_Information', 'Include_Organizations', 'Include_Transaction_Log_Data']),
    );
    expect(read.partial).toBeUndefined();
    expect(Date.parse(read.cursor)).toBeGreaterThan(Date.parse('2000-01-01T00:00:00Z'));
  });

  it('delta: Updated_From the cursor, Updated_Through now', async () => {
    hire();
    const full = snapshot(await sourceWith().read({ since: null }));
    fake.resetRequests();
    const id = hire();
    const delta = snapshot(await sourceWith().read({ since: full.cursor }));
    expect((delta.records as WorkerInput[]).map((r) => r.id)).toEqual([id]);
    expect(fake.requests[0]!.request.updated).toEqual({ from: full.cursor, through: NOW.toISOString() });
  });

  it('future hire: re-read by WID as of the hire date', async () => {
    const id = hire('2026-07-01');
    const read = snapshot(await sourceWith().read({ workerIds: [id] }));
    const reread = fake.requests.find((r) => r.request.references?.[0]?.type === 'WID');
    expect(reread?.request.asOfEffectiveDate).toBe('2026-07-01');
    expect((read.records as WorkerInput[])[0]).toMatchObject({ id, hireDate: '2026-07-01', title: 'Engineer' });
  });

  it('escapes the password in the envelope', async () => {
    hire();
    fake.password = password = `p<&>"'x`;
    await expect(sourceWith().read({ since: null })).resolves.toMatchObject({ kind: 'snapshot' });
    expect(fake.requests[0]!.request.password).toBe(`p<&>"'x`);
  });

  it('reads the password at every read, so a rotated one is used at once', async () => {
    hire();
    const source = sourceWith();
    await source.read({ since: null });
    fake.password = password = 'rotated-password';
    await expect(source.read({ since: null })).resolves.toMatchObject({ kind: 'snapshot' });
  });

  it('a refused password is a named error that never holds the password', async () => {
    hire();
    password = 'wrong-secret-value';
    const error: unknown = await sourceWith()
      .read({ since: null })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toBe(
      'Workday source hr-workday: the user name or password was refused (SOAP fault Client.authenticationError)',
    );
    expect(message).not.toContain('wrong-secret-value');
  });

  it('a missing password secret is a named error, before any request', async () => {
    password = null;
    await expect(sourceWith().read({ since: null })).rejects.toThrow(
      'Workday source hr-workday: the password secret is not set',
    );
    expect(fake.requests).toEqual([]);
  });

  it("a validation fault's code and message are in the error", async () => {
    hire();
    await expect(sourceWith({ version: 'v42.0' }).read({ since: null })).rejects.toThrow(
      /Workday source hr-workday: Get_Workers answered the SOAP fault Client\.validationError: .*version/,
    );
    expect(fake.invalidRequests.splice(0)).toHaveLength(1);
  });
});

describe('Workday source settings', () => {
  const minimal = {
    id: 'hr-workday',
    kind: 'workday',
    source: 'workday',
    baseUrl: 'https://wd3-impl-services1.workday.com',
    tenant: 'contoso4',
    username: 'ISU_HRSync',
    password: { secret: 'workday-isu-password' },
  };

  it('has defaults', () => {
    expect(workdaySourceSettings.parse(minimal)).toEqual({
      ...minimal,
      schedule: '0 */10 * * * *',
      fullReadSchedule: '0 0 2 * * *',
      version: 'v43.0',
      pageSize: 100,
    });
  });

  it.each([
    [{ ...minimal, password: 'inline' }, 'password'],
    [{ ...minimal, pageSize: 1000 }, 'pageSize'],
    [{ ...minimal, username: 'ISU@contoso4' }, 'username'],
    [{ ...minimal, baseUrl: 'http://wd3-impl-services1.workday.com' }, 'baseUrl'],
    [{ ...minimal, version: '43' }, 'version'],
  ])('refuses %p (at %p)', (input, path) => {
    const parsed = workdaySourceSettings.safeParse(input);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('builds the endpoint and user@tenant, and reads the password from the secret store', async () => {
    expect(workdayEndpoint('https://wd3.workday.com/', 'contoso4', 'v43.0')).toBe(
      'https://wd3.workday.com/ccx/service/contoso4/Human_Resources/v43.0',
    );
    const asked: string[] = [];
    const store = {
      get: async (name: string) => {
        asked.push(name);
        return null;
      },
    } as unknown as SecretStore;
    const settings = workdaySourceSettings.parse({ ...minimal, baseUrl: 'http://127.0.0.1:9' });
    const source = workdaySourceFrom(settings, {
      secrets: async () => store,
      clock: { now: () => NOW },
      logger: quiet,
    });
    await expect(source.read()).rejects.toThrow('Workday source hr-workday: the password secret is not set');
    expect(asked).toEqual(['workday-isu-password']);
  });
});
