/**
 * BambooHR specifics against the fake BambooHR (every request validated against BambooHR's OpenAPI
 * document). What every connector keeps is in the contract suite (bamboohr-contract.test.ts); these are
 * the exact shapes and requests BambooHR's API makes. Today is 2026-06-01.
 *
 * | case                     | expectation                                                                    |
 * |--------------------------|--------------------------------------------------------------------------------|
 * | full load                | the exact record; cursor = HR's newest lastChanged; 4 requests                 |
 * | delta                    | only the changed ids re-read, partial; 4 requests                              |
 * | deletion                 | BambooHR's `Deleted` action logged in its own words                            |
 * | future hire / transfer / termination | the exact `future` entries; a Terminated row dated D → last day D−1 |
 * | paging                   | `page[after]` from the second page on                                          |
 * | refused key / no key     | BambooHR's own messages; no request without a key                              |
 * | the fake                 | refuses what the OpenAPI document does not allow                               |
 */
import type { HrRead, HrSnapshotRead } from '../../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../../shared/ports/logger.port';
import { workerSchema, type WorkerInput } from '../../../../../shared/worker/worker-schema';
import { BambooHrSource } from '../../../../../functions/sources/connectors/bamboohr/bamboohr-hr-source';
import { FakeBambooHr, type FakeEmployeeInput } from '../../../../harness/hr-fakes/bamboohr/fake-bamboohr';

const TODAY = new Date('2026-06-01T09:00:00Z');

function employee(id: string, overrides: Partial<FakeEmployeeInput['fields']> = {}, title = 'Engineer') {
  return {
    id,
    fields: {
      firstName: `First${id}`,
      lastName: `Last${id}`,
      preferredName: null,
      workEmail: `person${id}@example.com`,
      workPhone: '+31 20 555 0100',
      mobilePhone: null,
      hireDate: '2021-03-01',
      reportsToId: id === '1' ? null : '1',
      employmentStatusName: 'Full-Time',
      status: 'Active',
      jobTitleName: title,
      ...overrides,
    },
    jobInfo: [
      { date: '2021-03-01', location: 'Amsterdam', division: 'Product', department: 'Engineering', jobTitle: title },
    ],
    employmentStatus: [{ date: '2021-03-01', employmentStatus: 'Full-Time' }],
  } satisfies FakeEmployeeInput;
}

class RecordingLogger implements Logger {
  readonly events: { message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
  debug(): void {}
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.events.push({ message, fields });
  }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.events.push({ message, fields });
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.events.push({ message, fields });
  }
  child(): Logger {
    return this;
  }
}

let fake: FakeBambooHr;
let waits: number[];
let logger: RecordingLogger;
let key: string | null;

beforeAll(async () => {
  fake = await FakeBambooHr.start();
});
afterAll(async () => {
  await fake.close();
});

function sourceWith(pageSize = 100): BambooHrSource {
  return new BambooHrSource({
    id: 'hr-bamboo',
    source: 'bamboohr',
    baseUrl: fake.baseUrl,
    apiKey: async () => key,
    clock: { now: () => TODAY },
    logger,
    pageSize,
    http: {
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0,
    },
  });
}

function snapshot(read: HrRead): HrSnapshotRead {
  if (read.kind !== 'snapshot') throw new Error(`expected a snapshot, got: ${read.reason}`);
  return read;
}

function byId(read: HrSnapshotRead, id: string): WorkerInput {
  const record = (read.records as WorkerInput[]).find((r) => r.id === id);
  if (!record) throw new Error(`no record ${id}`);
  return record;
}

let nextId = 100;
/** A fresh company per test: new ids, so earlier tests' employees stay out of the way via `filter`. */
function hireAll(count: number): string[] {
  return Array.from({ length: count }, () => {
    const id = String(nextId++);
    fake.hire(employee(id));
    return id;
  });
}

beforeEach(() => {
  waits = [];
  logger = new RecordingLogger();
  key = fake.apiKey;
  fake.resetRequests();
});

afterEach(() => {
  expect(fake.invalidRequests.splice(0)).toEqual([]);
});

describe('BambooHR source', () => {
  it('full load: maps every employee, cursor is HR newest lastChanged, 4 requests', async () => {
    fake.hire({ ...employee('1', { preferredName: 'Ava', photoUrl: 'https://cdn.example.com/1.jpg' }) });
    const ids = hireAll(2);
    const read = snapshot(await sourceWith().read({ since: null }));
    expect(read.partial).toBeUndefined();
    expect(read.cursor).toBe(fake.latestChange);
    expect(read.rowIssues).toEqual([]);
    expect(fake.requestCount).toBe(4);
    expect(byId(read, '1')).toEqual({
      source: 'bamboohr',
      id: '1',
      legalName: { first: 'First1', middle: null, last: 'Last1' },
      preferredName: { first: 'Ava', middle: null, last: null },
      email: 'person1@example.com',
      phone: { work: '+31 20 555 0100', mobile: null },
      department: 'Engineering',
      title: 'Engineer',
      location: 'Amsterdam',
      managerId: null,
      employeeType: 'employee',
      employmentStatus: 'active',
      hireDate: '2021-03-01',
      terminationDate: null,
      customFields: { photoUrl: 'https://cdn.example.com/1.jpg', division: 'Product' },
      future: [],
    });
    expect(byId(read, ids[0]!).managerId).toBe('1');
    for (const record of read.records) expect(workerSchema.safeParse(record).success).toBe(true);
    expect(read.locations).toContain('employee 1');
  });

  it('delta: only the changed employees are re-read, as a partial snapshot with a new cursor', async () => {
    const ids = hireAll(5);
    const source = sourceWith();
    const full = snapshot(await source.read({ since: null }));
    fake.addRow(ids[1]!, 'jobInfo', {
      date: '2026-05-30',
      location: 'Berlin',
      department: 'Platform',
      jobTitle: 'Lead',
    });
    fake.update(ids[3]!, { workEmail: 'new@example.com' });
    fake.resetRequests();
    const delta = snapshot(await source.read({ since: full.cursor }));
    expect(delta.partial).toBe(true);
    expect((delta.records as WorkerInput[]).map((r) => r.id).sort()).toEqual([ids[1], ids[3]].sort());
    expect(byId(delta, ids[1]!)).toMatchObject({ title: 'Lead', department: 'Platform', location: 'Berlin' });
    expect(byId(delta, ids[3]!).email).toBe('new@example.com');
    expect(delta.cursor).toBe(fake.latestChange);
    expect(delta.cursor).not.toBe(full.cursor);
    expect(fake.requestCount).toBe(4);
  });

  it('deletion: the employee is left out of the partial snapshot and logged', async () => {
    const [gone, stays] = hireAll(2);
    const source = sourceWith();
    const full = snapshot(await source.read({ since: null }));
    fake.delete(gone!);
    fake.update(stays!, { mobilePhone: '+31 6 1234 5678' });
    const delta = snapshot(await source.read({ since: full.cursor }));
    expect((delta.records as WorkerInput[]).map((r) => r.id)).toEqual([stays]);
    expect(delta.partial).toBe(true);
    expect(delta.cursor).toBe(fake.latestChange);
    expect(logger.events).toContainEqual({
      message: 'BambooHR employee no longer listed; the worker is left as it is',
      fields: { sourceId: 'hr-bamboo', employeeId: gone, action: 'Deleted' },
    });
  });

  it('future-dated hire, transfer and termination: future hireDate, a future entry, a scheduled terminationDate', async () => {
    const hire = String(nextId++);
    fake.hire({
      ...employee(hire, { hireDate: '2026-07-01' }),
      jobInfo: [{ date: '2026-07-01', location: 'Utrecht', department: 'Sales', division: 'Go', jobTitle: 'Rep' }],
      employmentStatus: [{ date: '2026-07-01', employmentStatus: 'Contractor' }],
    });
    const [moving] = hireAll(1);
    fake.addRow(moving!, 'jobInfo', {
      date: '2026-07-15',
      location: 'Berlin',
      department: 'Platform',
      jobTitle: 'Lead',
    });
    fake.addRow(moving!, 'employmentStatus', { date: '2026-08-01', employmentStatus: 'Terminated' });
    const read = snapshot(await sourceWith().read({ since: null }));
    expect(byId(read, hire)).toMatchObject({
      hireDate: '2026-07-01',
      employmentStatus: 'active',
      employeeType: 'employee',
      future: [
        {
          effectiveDate: '2026-07-01',
          changes: {
            department: 'Sales',
            title: 'Rep',
            location: 'Utrecht',
            customFields: { division: 'Go' },
            employeeType: 'contractor',
          },
        },
      ],
    });
    expect(byId(read, moving!)).toMatchObject({
      title: 'Engineer',
      employmentStatus: 'active',
      terminationDate: '2026-07-31',
      future: [
        {
          effectiveDate: '2026-07-15',
          changes: { department: 'Platform', title: 'Lead', location: 'Berlin', customFields: {} },
        },
      ],
    });
    for (const record of read.records) expect(workerSchema.safeParse(record).success).toBe(true);
  });

  it('paging: follows the list cursor across at least three pages', async () => {
    const read = snapshot(await sourceWith(3).read({ since: null }));
    const listRequests = fake.requests.filter((r) => r.operationId === 'list-employees');
    expect(read.records.length).toBeGreaterThanOrEqual(9);
    expect(listRequests.length).toBe(Math.ceil(read.records.length / 3));
    expect(listRequests.length).toBeGreaterThanOrEqual(3);
    expect(listRequests.filter((r) => r.query.includes('page%5Bafter%5D')).length).toBe(listRequests.length - 1);
    expect(new Set((read.records as WorkerInput[]).map((r) => r.id)).size).toBe(read.records.length);
  });

  it('auth failure: a clear error naming the source; the stored cursor reads the changes once the key is fixed', async () => {
    const [id] = hireAll(1);
    const source = sourceWith();
    const full = snapshot(await source.read({ since: null }));
    fake.update(id!, { workEmail: 'moved@example.com' });
    key = 'a-revoked-key';
    await expect(source.read({ since: full.cursor })).rejects.toThrow(
      'BambooHR source hr-bamboo: the API key was refused (401)',
    );
    key = fake.apiKey;
    const delta = snapshot(await source.read({ since: full.cursor }));
    expect(byId(delta, id!).email).toBe('moved@example.com');
  });

  it('a missing key secret is an error naming the source, sent to no server', async () => {
    key = null;
    await expect(sourceWith().read({ since: null })).rejects.toThrow(
      'BambooHR source hr-bamboo: the API key secret is not set',
    );
    expect(fake.requestCount).toBe(0);
  });

  it('the fake refuses a request the OpenAPI document does not allow, and records it', async () => {
    const response = await fetch(`${fake.baseUrl}/v1/employees?page[limit]=many`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(400);
    const unknown = await fetch(`${fake.baseUrl}/v1/employees/changed`, { headers: { accept: 'application/json' } });
    expect(unknown.status).toBe(400);
    expect(fake.invalidRequests.splice(0).map((r) => r.path)).toEqual([
      '/api/v1/employees',
      '/api/v1/employees/changed',
    ]);
  });
});
