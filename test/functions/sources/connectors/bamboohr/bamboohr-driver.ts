/** The BambooHR connector and its fake, as the connector contract suites drive them. */
import { BambooHrSource } from '../../../../../functions/sources/connectors/bamboohr/bamboohr-hr-source';
import { FakeBambooHr } from '../../../../harness/hr-fakes/bamboohr/fake-bamboohr';
import type { ConnectorDriver, ContractJob, ContractPerson, ContractSourceOptions } from '../contract/connector-driver';
import { FakeDriver } from '../contract/fake-driver';

const KEY = 'fake-bamboohr-key';
const SECRET = 'bamboohr-api-key';

/** The day after `date` (BambooHR dates a `Terminated` row with the first day no longer employed). */
function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export class BambooHrDriver extends FakeDriver<FakeBambooHr> implements ConnectorDriver {
  readonly vendor = 'BambooHR';
  readonly kind = 'bamboohr';
  readonly deletes = true;
  readonly throttleStatuses = [429, 503] as const;

  protected async startFake(): Promise<FakeBambooHr> {
    const fake = await FakeBambooHr.start();
    fake.apiKey = KEY;
    return fake;
  }

  source(options: ContractSourceOptions): BambooHrSource {
    return new BambooHrSource({
      id: options.id,
      source: options.source,
      baseUrl: this.fake.baseUrl,
      apiKey: async () => KEY,
      clock: options.clock,
      logger: options.logger,
      pageSize: options.pageSize,
      http: { sleep: options.sleep, random: options.random },
    });
  }

  configuration(id: string, source: string) {
    return {
      settings: {
        id,
        kind: this.kind,
        source,
        companyDomain: 'acme',
        baseUrl: this.fake.baseUrl,
        apiKey: { secret: SECRET },
        schedule: '0 0 0 1 1 *',
      },
      secrets: { [SECRET]: KEY },
    };
  }

  hire(person: ContractPerson): void {
    const job = this.jobRow(person, person.hireDate);
    this.fake.hire({
      id: person.id,
      fields: {
        firstName: person.first,
        lastName: person.last,
        preferredName: null,
        workEmail: person.email,
        workPhone: null,
        mobilePhone: null,
        hireDate: person.hireDate,
        reportsToId: person.managerId,
        employmentStatusName: 'Full-Time',
        status: 'Active',
        jobTitleName: person.title,
      },
      jobInfo: [job],
      employmentStatus: [{ date: person.hireDate, employmentStatus: 'Full-Time' }],
    });
  }

  transfer(id: string, job: ContractJob, date: string): void {
    this.fake.addRow(id, 'jobInfo', this.jobRow(job, date));
  }

  terminate(id: string, lastDay: string): void {
    this.fake.addRow(id, 'employmentStatus', { date: dayAfter(lastDay), employmentStatus: 'Terminated' });
  }

  delete(id: string): void {
    this.fake.delete(id);
  }

  malform(id: string): string {
    this.fake.update(id, { hireDate: 'next week' });
    return 'hireDate';
  }

  changeEmail(id: string, email: string): void {
    this.fake.update(id, { workEmail: email });
  }

  throttle(status: 429 | 503, seconds: number, afterRequests = 0): void {
    this.fake.throttle({ onRequest: afterRequests + 1, status, retryAfter: String(seconds) });
  }

  revokeCredentials(): void {
    this.fake.apiKey = 'another-key';
  }

  restoreCredentials(): void {
    this.fake.apiKey = KEY;
  }

  get listPageRequests(): number {
    return this.fake.requests.filter((r) => r.operationId === 'list-employees').length;
  }

  private jobRow(job: ContractJob, date: string) {
    return { date, location: job.location, division: 'Product', department: job.department, jobTitle: job.title };
  }
}
