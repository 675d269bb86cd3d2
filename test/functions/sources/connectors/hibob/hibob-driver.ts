/** The HiBob connector and its fake, as the connector contract suites drive them. */
import { HibobSource } from '../../../../../functions/sources/connectors/hibob/hibob-hr-source';
import { FakeHibob } from '../../../../harness/hr-fakes/hibob/fake-hibob';
import type { ConnectorDriver, ContractJob, ContractPerson, ContractSourceOptions } from '../contract/connector-driver';
import { FakeDriver } from '../contract/fake-driver';

const SERVICE_USER = 'SERVICE-HR2AD';
const TOKEN = 'fake-hibob-token';
const SECRET = 'hibob-token';

/** The day after `date` (HiBob dates a `Terminated` lifecycle row with the termination date, the day after the last day of work). */
function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export class HibobDriver extends FakeDriver<FakeHibob> implements ConnectorDriver {
  readonly vendor = 'HiBob';
  readonly kind = 'hibob';
  /** HiBob's API reports no deletions: an employee it no longer returns is only absent. */
  readonly deletes = false;
  readonly throttleStatuses = [429] as const;
  private readonly managers = new Map<string, string | null>();

  protected async startFake(): Promise<FakeHibob> {
    const fake = await FakeHibob.start();
    fake.serviceUserId = SERVICE_USER;
    fake.token = TOKEN;
    return fake;
  }

  source(options: ContractSourceOptions): HibobSource {
    this.fake.today = () => options.clock.now().toISOString().slice(0, 10);
    return new HibobSource({
      id: options.id,
      source: options.source,
      baseUrl: this.fake.baseUrl,
      serviceUserId: SERVICE_USER,
      token: async () => TOKEN,
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
        serviceUserId: SERVICE_USER,
        token: { secret: SECRET },
        schedule: '0 0 0 1 1 *',
      },
      secrets: { [SECRET]: TOKEN },
    };
  }

  hire(person: ContractPerson): void {
    this.fake.hire({
      id: person.id,
      firstName: person.first,
      surname: person.last,
      email: person.email,
      startDate: person.hireDate,
    });
    this.managers.set(person.id, person.managerId);
    this.fake.addWork(person.id, person.hireDate, { ...person, site: person.location }, person.managerId);
    this.fake.addLifecycle(person.id, person.hireDate, 'Employed');
    this.fake.addEmployment(person.id, person.hireDate, 'Permanent');
  }

  transfer(id: string, job: ContractJob, date: string): void {
    this.fake.addWork(id, date, { ...job, site: job.location }, this.managers.get(id) ?? null);
  }

  terminate(id: string, lastDay: string): void {
    this.fake.addLifecycle(id, dayAfter(lastDay), 'Terminated');
  }

  delete(id: string): void {
    this.fake.remove(id);
  }

  malform(id: string): string {
    this.fake.update(id, {}, { startDate: 'next week' });
    return 'work.startDate';
  }

  changeEmail(id: string, email: string): void {
    this.fake.update(id, { email });
  }

  throttle(_status: 429 | 503, seconds: number, afterRequests = 0): void {
    this.fake.throttle(afterRequests + 1, String(seconds));
  }

  revokeCredentials(): void {
    this.fake.token = 'another-token';
  }

  restoreCredentials(): void {
    this.fake.token = TOKEN;
  }

  /** HiBob's search has no pages: the pages counted are those of the bulk work table. */
  get listPageRequests(): number {
    return this.fake.requests.filter((r) => r.operation === 'bulk-work').length;
  }
}
