/**
 * The contract every native HR connector keeps, run against its fake server through its driver
 * (connector-driver.ts). Today is CONTRACT_TODAY; each case hires its own people (fresh ids), so cases do
 * not depend on each other except that the company grows. Every case ends asserting that the fake saw no
 * request the vendor does not document.
 *
 * | case                        | expectation                                                                   |
 * |-----------------------------|-------------------------------------------------------------------------------|
 * | empty company               | suspect, never a snapshot with no workers                                     |
 * | full load                   | every hired person, mapped; a whole (not partial) snapshot; valid records     |
 * | delta                       | the changed workers with their new values (only them when partial); new cursor; the same `since` twice gives the same cursor |
 * | termination                 | terminated, terminationDate = the last day worked                             |
 * | deletion (vendors that do)  | left out of the read and logged; never terminated                             |
 * | future hire                 | hireDate in the future; as of that date, the hired job                        |
 * | future transfer             | today's job now; a `future` entry on the date with the new job (`on-date` vendors: the first read on the date brings it) |
 * | a change dated today (UTC), early in the UTC day | a future change on its date, not a current value: the planner applies it at the worker's local midnight |
 * | future termination          | still employed; terminationDate = the future last day                         |
 * | paging                      | ≥ 3 list pages followed to the end; every worker once                         |
 * | throttling                  | each throttle status's Retry-After waited, then the read completes            |
 * | refused credentials         | an error naming the source; the stored cursor reads the changes once fixed    |
 * | malformed record            | a row issue naming the vendor id and field; the others flow                   |
 * | sample (`source test`)      | at most the asked few, mapped as a whole read maps them; partial, not a whole cursor |
 * | targeted read               | only the named workers, partial, a cursor that is not a whole read's          |
 */
import type { HrRead, HrSnapshotRead, HrSource } from '../../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../../shared/ports/logger.port';
import { workerSchema, type WorkerInput } from '../../../../../shared/worker/worker-schema';
import { CONTRACT_TODAY, type ConnectorDriver, type ContractJob, type ContractPerson } from './connector-driver';

const SOURCE_ID = 'hr-contract';
const SOURCE = 'hr';
const THROTTLE_SECONDS: Readonly<Record<429 | 503, number>> = { 429: 7, 503: 2 };

/** Logs what a connector says, so the deletion case can find the deleted worker in it. */
export class RecordingLogger implements Logger {
  readonly events: { message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.events.push({ message, fields });
  }
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

export function snapshotOf(read: HrRead): HrSnapshotRead {
  if (read.kind !== 'snapshot') throw new Error(`expected a snapshot, got a suspect read: ${read.reason}`);
  return read;
}

export function recordOf(read: HrSnapshotRead, id: string): WorkerInput {
  const record = (read.records as WorkerInput[]).find((r) => r.id === id);
  if (!record) throw new Error(`the read has no record ${id}`);
  return record;
}

const idsOf = (read: HrSnapshotRead): string[] => (read.records as WorkerInput[]).map((r) => r.id);

/** The worker's job as of `date`: today's values with every future entry dated on or before it laid over. */
export function jobAsOf(record: WorkerInput, date: string): ContractJob {
  let job: ContractJob = {
    title: record.title ?? '',
    department: record.department ?? '',
    location: record.location ?? '',
  };
  const due = [...(record.future ?? [])].filter((f) => f.effectiveDate <= date);
  due.sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
  for (const { changes } of due) {
    job = {
      title: changes.title ?? job.title,
      department: changes.department ?? job.department,
      location: changes.location ?? job.location,
    };
  }
  return job;
}

/** A person of the contract company; `n` makes every field distinct. */
export function contractPerson(id: string, overrides: Partial<ContractPerson> = {}): ContractPerson {
  return {
    id,
    first: `Given${id}`,
    last: `Family${id}`,
    email: `person${id}@example.com`,
    title: 'Engineer',
    department: 'Engineering',
    location: 'London',
    hireDate: '2021-03-01',
    managerId: null,
    ...overrides,
  };
}

interface ContractContext {
  readonly waits: number[];
  logger: RecordingLogger;
}

/** Registers the contract cases for one connector (call it at the top level of a test file). */
export function describeConnectorContract(driver: ConnectorDriver): void {
  const context: ContractContext = { waits: [], logger: new RecordingLogger() };
  let nextId = 1000;
  const hire = (overrides: Partial<ContractPerson> = {}): string => {
    const id = String(nextId++);
    driver.hire(contractPerson(id, overrides));
    return id;
  };
  const hireMany = (count: number) => Array.from({ length: count }, () => hire());
  // 13:00 UTC: the contract's today is today in every zone, from UTC−12 to UTC+14.
  const source = (pageSize = 50, today = CONTRACT_TODAY, time = '13:00:00'): HrSource =>
    driver.source({
      id: SOURCE_ID,
      source: SOURCE,
      clock: { now: () => new Date(`${today}T${time}Z`) },
      logger: context.logger,
      pageSize,
      sleep: async (ms) => {
        context.waits.push(ms);
      },
      random: () => 0,
    });

  describe(`${driver.vendor} connector contract`, () => {
    beforeAll(() => driver.start(), 60_000);
    afterAll(() => driver.close());
    beforeEach(() => {
      context.waits.length = 0;
      context.logger = new RecordingLogger();
      driver.restoreCredentials();
      driver.resetRequests();
    });
    afterEach(() => {
      expect(driver.takeInvalidRequests()).toEqual([]);
    });

    it('an empty company reads as suspect, never as a snapshot without workers', async () => {
      const read = await source().read({ since: null });
      expect(read.kind).toBe('suspect');
      expect(read.kind === 'suspect' && read.reason).toContain(SOURCE_ID);
    });

    it('full load: every hired person mapped to a valid canonical worker, as a whole snapshot', async () => {
      const manager = hire({ first: 'Ada', last: 'Lovelace', title: 'Head of Engineering' });
      const report = hire({ managerId: manager, location: 'Berlin', department: 'Research', title: 'Scientist' });
      const read = snapshotOf(await source().read({ since: null }));
      expect(read.partial).toBeFalsy();
      expect(read.records.length).toBe(read.locations.length);
      for (const record of read.records) expect(workerSchema.safeParse(record).error).toBeUndefined();
      expect(recordOf(read, manager)).toMatchObject({
        source: SOURCE,
        id: manager,
        legalName: { first: 'Ada', last: 'Lovelace' },
        email: `person${manager}@example.com`,
        title: 'Head of Engineering',
        department: 'Engineering',
        location: 'London',
        hireDate: '2021-03-01',
        employmentStatus: 'active',
        terminationDate: null,
      });
      expect(recordOf(read, report)).toMatchObject({
        managerId: manager,
        title: 'Scientist',
        department: 'Research',
        location: 'Berlin',
      });
      expect(read.cursor).not.toBe('');
    });

    it('delta: the changed workers with their new values, a new cursor, the same cursor for the same since', async () => {
      const [mover, renamed, untouched] = hireMany(3);
      const full = snapshotOf(await source().read({ since: null }));
      driver.transfer(mover!, { title: 'Lead', department: 'Platform', location: 'Sydney' }, CONTRACT_TODAY);
      driver.changeEmail(renamed!, `changed${renamed}@example.com`);
      const delta = snapshotOf(await source().read({ since: full.cursor }));
      expect(recordOf(delta, mover!)).toMatchObject({ title: 'Lead', department: 'Platform', location: 'Sydney' });
      expect(recordOf(delta, renamed!).email).toBe(`changed${renamed}@example.com`);
      if (delta.partial) expect(idsOf(delta).sort()).toEqual([mover, renamed].sort());
      else expect(recordOf(delta, untouched!).title).toBe('Engineer');
      expect(delta.cursor).not.toBe(full.cursor);
      const again = snapshotOf(await source().read({ since: full.cursor }));
      expect(again.cursor).toBe(delta.cursor);
      const settled = snapshotOf(await source().read({ since: delta.cursor }));
      expect(settled.cursor).toBe(delta.cursor);
      if (settled.partial) expect(settled.records).toEqual([]);
    });

    it('termination: the worker is terminated, terminationDate the last day worked', async () => {
      const leaver = hire();
      const full = snapshotOf(await source().read({ since: null }));
      driver.terminate(leaver, '2026-05-20');
      const delta = snapshotOf(await source().read({ since: full.cursor }));
      expect(recordOf(delta, leaver)).toMatchObject({ employmentStatus: 'terminated', terminationDate: '2026-05-20' });
    });

    if (driver.deletes)
      it('deletion: the deleted employee is left out of the read and logged, never terminated', async () => {
        const [gone, stays] = hireMany(2);
        const full = snapshotOf(await source().read({ since: null }));
        driver.delete(gone!);
        driver.changeEmail(stays!, `still${stays}@example.com`);
        const delta = snapshotOf(await source().read({ since: full.cursor }));
        expect(idsOf(delta)).not.toContain(gone);
        expect(recordOf(delta, stays!).email).toBe(`still${stays}@example.com`);
        const mentions = context.logger.events.filter((e) => Object.values(e.fields ?? {}).includes(gone));
        expect(mentions.length).toBeGreaterThan(0);
      });

    it('future-dated hire: a future hireDate, and the hired job as of that date', async () => {
      const joiner = hire({ hireDate: '2026-07-01', title: 'Rep', department: 'Sales', location: 'Tokyo' });
      const read = snapshotOf(await source().read({ since: null }));
      const record = recordOf(read, joiner);
      expect(record.hireDate).toBe('2026-07-01');
      expect(record.employmentStatus).not.toBe('terminated');
      expect(jobAsOf(record, '2026-07-01')).toEqual({ title: 'Rep', department: 'Sales', location: 'Tokyo' });
      expect(workerSchema.safeParse(record).error).toBeUndefined();
    });

    if (driver.futureJobChanges === 'on-date')
      it('future-dated transfer, published on its date: today the current job, the first read on the date the new one', async () => {
        const mover = hire();
        const job = { title: 'Head of Sales', department: 'Sales', location: 'New York' };
        driver.transfer(mover, job, '2026-07-15');
        const before = snapshotOf(await source().read({ since: null }));
        const today = { title: 'Engineer', department: 'Engineering', location: 'London' };
        expect(jobAsOf(recordOf(before, mover), '2026-07-15')).toEqual(today);
        driver.useClock!(() => new Date('2026-07-15T13:00:00Z'));
        try {
          const onTheDay = snapshotOf(await source(50, '2026-07-15').read({ since: before.cursor }));
          expect(recordOf(onTheDay, mover)).toMatchObject(job);
        } finally {
          driver.useClock!(() => new Date(`${CONTRACT_TODAY}T13:00:00Z`));
        }
      });
    else
      it('future-dated transfer: today the current job, a future entry on its date with the new one', async () => {
        const mover = hire();
        driver.transfer(mover, { title: 'Head of Sales', department: 'Sales', location: 'New York' }, '2026-07-15');
        const record = recordOf(snapshotOf(await source().read({ since: null })), mover);
        expect(jobAsOf(record, CONTRACT_TODAY)).toEqual({
          title: 'Engineer',
          department: 'Engineering',
          location: 'London',
        });
        expect(jobAsOf(record, '2026-07-14')).toEqual(jobAsOf(record, CONTRACT_TODAY));
        expect(jobAsOf(record, '2026-07-15')).toEqual({
          title: 'Head of Sales',
          department: 'Sales',
          location: 'New York',
        });
        expect((record.future ?? []).map((f) => f.effectiveDate)).toContain('2026-07-15');
        // A transfer changes the job only: a repeated employee type would make it a conversion.
        for (const entry of record.future ?? []) expect(entry.changes.employeeType).toBeUndefined();
      });

    if (driver.futureJobChanges !== 'on-date')
      it('a change dated today in UTC but still tomorrow west of it is a future change, applied at local midnight', async () => {
        const mover = hire();
        const job = { title: 'Lead', department: 'Platform', location: 'Los Angeles' };
        driver.transfer(mover, job, CONTRACT_TODAY);
        // 02:00 UTC on the contract's today: still the day before in Los Angeles.
        const record = recordOf(snapshotOf(await source(50, CONTRACT_TODAY, '02:00:00').read({ since: null })), mover);
        expect(jobAsOf(record, '2026-05-31')).toEqual({
          title: 'Engineer',
          department: 'Engineering',
          location: 'London',
        });
        expect(jobAsOf(record, CONTRACT_TODAY)).toEqual(job);
      });

    it('future-dated termination: still employed today, terminationDate the future last day', async () => {
      const leaver = hire();
      driver.terminate(leaver, '2026-07-31');
      const record = recordOf(snapshotOf(await source().read({ since: null })), leaver);
      expect(record.employmentStatus).toBe('active');
      expect(record.terminationDate).toBe('2026-07-31');
    });

    it('paging: at least three list pages, followed to the end, every worker once', async () => {
      const hired = hireMany(10);
      driver.resetRequests();
      const read = snapshotOf(await source(3).read({ since: null }));
      expect(driver.listPageRequests).toBeGreaterThanOrEqual(3);
      const ids = idsOf(read);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of hired) expect(ids).toContain(id);
    });

    it('throttling: the Retry-After of every throttle status is waited, then the read completes', async () => {
      const id = hire();
      driver.throttleStatuses.forEach((status, i) => driver.throttle(status, THROTTLE_SECONDS[status], i * 2));
      const read = snapshotOf(await source().read({ since: null }));
      expect(recordOf(read, id).id).toBe(id);
      for (const status of driver.throttleStatuses) expect(context.waits).toContain(THROTTLE_SECONDS[status] * 1000);
    });

    it('refused credentials: an error naming the source; once fixed, the stored cursor reads the change', async () => {
      const id = hire();
      const full = snapshotOf(await source().read({ since: null }));
      driver.changeEmail(id, `moved${id}@example.com`);
      driver.revokeCredentials();
      await expect(source().read({ since: full.cursor })).rejects.toThrow(SOURCE_ID);
      await expect(source().read({ since: full.cursor })).rejects.toThrow(/refused|401|403|denied|invalid/i);
      driver.restoreCredentials();
      const delta = snapshotOf(await source().read({ since: full.cursor }));
      expect(recordOf(delta, id).email).toBe(`moved${id}@example.com`);
    });

    it('malformed record: a row issue naming the vendor id and the field; the others flow', async () => {
      const [bad, good] = hireMany(2);
      const full = snapshotOf(await source().read({ since: null }));
      const field = driver.malform(bad!);
      driver.changeEmail(good!, `fine${good}@example.com`);
      const delta = snapshotOf(await source().read({ since: full.cursor }));
      const issues = delta.rowIssues.filter((issue) => issue.workerId === bad);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues[0]).toMatchObject({ workerKey: `${SOURCE}:${bad}`, field });
      expect(issues[0]!.location).toContain(bad!);
      expect(idsOf(delta)).not.toContain(bad);
      expect(recordOf(delta, good!).email).toBe(`fine${good}@example.com`);
    });

    it('a sample (hr2ad source test): a few workers of the first page, mapped as a whole read maps them', async () => {
      hireMany(4);
      const whole = snapshotOf(await source().read({ since: null }));
      const sample = snapshotOf(await source().read({ sample: 3 }));
      expect(sample.records.length).toBeGreaterThan(0);
      expect(sample.records.length + sample.rowIssues.length).toBeLessThanOrEqual(3);
      expect(sample.partial).toBe(true);
      expect(sample.cursor).not.toBe(whole.cursor);
      for (const id of idsOf(sample)) expect(recordOf(sample, id)).toEqual(recordOf(whole, id));
    });

    it('targeted read: only the named workers, partial, with a cursor that is never a whole read', async () => {
      const [a, , c] = hireMany(3);
      const whole = snapshotOf(await source().read({ since: null }));
      const read = snapshotOf(await source().read({ workerIds: [c!, a!, '999999'] }));
      expect(idsOf(read).sort()).toEqual([a, c].sort());
      expect(read.partial).toBe(true);
      expect(read.cursor).not.toBe(whole.cursor);
      expect(recordOf(read, a!).department).toBe('Engineering');
    });
  });
}
