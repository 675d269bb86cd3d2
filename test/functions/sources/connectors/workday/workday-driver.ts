/** The Workday connector and its fake, as the connector contract suites drive them. */
import { WorkdaySource } from '../../../../../functions/sources/connectors/workday/workday-hr-source';
import { workdayEndpoint } from '../../../../../functions/sources/connectors/workday/workday-source-config';
import { FakeWorkday } from '../../../../harness/hr-fakes/workday/fake-workday';
import {
  CONTRACT_TODAY,
  type ConnectorDriver,
  type ContractJob,
  type ContractPerson,
  type ContractSourceOptions,
} from '../contract/connector-driver';
import { FakeDriver } from '../contract/fake-driver';

const PASSWORD = 'fake-workday-password';
const SECRET = 'workday-isu-password';

export class WorkdayDriver extends FakeDriver<FakeWorkday> implements ConnectorDriver {
  readonly vendor = 'Workday';
  readonly kind = 'workday';
  /** Workday terminates workers; it does not delete them. */
  readonly deletes = false;
  readonly throttleStatuses = [429, 503] as const;

  protected async startFake(): Promise<FakeWorkday> {
    const fake = await FakeWorkday.start();
    fake.password = PASSWORD;
    return fake;
  }

  source(options: ContractSourceOptions): WorkdaySource {
    return new WorkdaySource({
      id: options.id,
      source: options.source,
      endpoint: workdayEndpoint(this.fake.baseUrl, this.fake.tenant, this.fake.version),
      version: this.fake.version,
      username: `${this.fake.username}@${this.fake.tenant}`,
      password: async () => PASSWORD,
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
        baseUrl: this.fake.baseUrl,
        tenant: this.fake.tenant,
        username: this.fake.username,
        password: { secret: SECRET },
        version: this.fake.version,
        schedule: '0 0 0 1 1 *',
      },
      secrets: { [SECRET]: PASSWORD },
    };
  }

  hire(person: ContractPerson): void {
    this.fake.hire({
      id: person.id,
      first: person.first,
      last: person.last,
      email: person.email,
      hireDate: person.hireDate,
      job: {
        title: person.title,
        department: person.department,
        location: person.location,
        managerId: person.managerId,
        type: 'Regular',
      },
    });
  }

  transfer(id: string, job: ContractJob, date: string): void {
    this.fake.changeJob(id, job, date);
  }

  terminate(id: string, lastDay: string): void {
    this.fake.terminate(id, lastDay);
  }

  delete(): void {
    throw new Error('Workday does not delete workers');
  }

  malform(id: string): string {
    this.fake.malformHireDate(id, CONTRACT_TODAY);
    return 'Employment_Data/Worker_Status_Data/Hire_Date';
  }

  changeEmail(id: string, email: string): void {
    this.fake.changeEmail(id, email, CONTRACT_TODAY);
  }

  throttle(status: 429 | 503, seconds: number, afterRequests = 0): void {
    this.fake.throttle({ onRequest: afterRequests + 1, status, retryAfter: String(seconds) });
  }

  revokeCredentials(): void {
    this.fake.password = 'another-password';
  }

  restoreCredentials(): void {
    this.fake.password = PASSWORD;
  }

  get listPageRequests(): number {
    return this.fake.requests.filter((r) => !r.referenced).length;
  }
}
