/**
 * The Personio connector and its fake, as the connector contract suites drive them.
 *
 * Rate limits run on real time plus the part of the connector's waits that did not really pass: the fake
 * counts requests on that clock and the connector the suites build paces on it, so instant test waits still
 * free the limits' slots and the limits hold without the tests waiting for real, while a benchmark's real
 * waits count once. A connector built from `configuration` (the e2e) waits
 * for real, which moves the same clock.
 *
 * Personio answers current values: a change dated later is visible only from its date, so the fake's today
 * is the suite's clock (`useClock`: the contract's today, the day it moves to, or the e2e's virtual clock).
 */
import { PersonioSource } from '../../../../../functions/sources/connectors/personio/personio-hr-source';
import { CLIENT_ID, CLIENT_SECRET, FakePersonio } from '../../../../harness/hr-fakes/personio/fake-personio';
import {
  CONTRACT_TODAY,
  type ConnectorDriver,
  type ContractJob,
  type ContractPerson,
  type ContractSourceOptions,
} from '../contract/connector-driver';
import { FakeDriver } from '../contract/fake-driver';

const CLIENT_ID_SECRET = 'personio-client-id';
const CLIENT_SECRET_SECRET = 'personio-client-secret';

export class PersonioDriver extends FakeDriver<FakePersonio> implements ConnectorDriver {
  readonly vendor = 'Personio';
  readonly kind = 'personio';
  readonly deletes = true;
  readonly throttleStatuses = [429] as const;
  readonly futureJobChanges = 'on-date';
  private virtualMs = 0;

  /** The company's today for the fake: the contract's today unless the suite gives its clock. */
  private clock: () => Date = () => new Date(`${CONTRACT_TODAY}T13:00:00Z`);

  useClock(now: () => Date): void {
    this.clock = now;
  }

  protected async startFake(): Promise<FakePersonio> {
    const fake = await FakePersonio.start();
    fake.clock = () => this.clock();
    fake.rateNow = () => this.rateNow();
    return fake;
  }

  source(options: ContractSourceOptions): PersonioSource {
    return new PersonioSource({
      id: options.id,
      source: options.source,
      baseUrl: this.fake.baseUrl,
      credentials: async () => ({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
      clock: options.clock,
      logger: options.logger,
      pageSize: options.pageSize,
      rateClock: () => this.rateNow(),
      http: {
        // Whatever part of a wait did not really pass (a test's instant sleep) moves the rate clock.
        sleep: async (ms) => {
          const started = performance.now();
          await options.sleep(ms);
          this.virtualMs += Math.max(0, ms - (performance.now() - started));
        },
        random: options.random,
      },
    });
  }

  private rateNow(): number {
    return performance.now() + this.virtualMs;
  }

  configuration(id: string, source: string) {
    return {
      settings: {
        id,
        kind: this.kind,
        source,
        baseUrl: this.fake.baseUrl,
        clientId: { secret: CLIENT_ID_SECRET },
        clientSecret: { secret: CLIENT_SECRET_SECRET },
        schedule: '0 0 0 1 1 *',
      },
      secrets: { [CLIENT_ID_SECRET]: CLIENT_ID, [CLIENT_SECRET_SECRET]: CLIENT_SECRET },
    };
  }

  hire(person: ContractPerson): void {
    this.fake.hire({
      id: Number(person.id),
      first_name: person.first,
      last_name: person.last,
      email: person.email,
      position: person.title,
      department: person.department,
      office: person.location,
      supervisor_id: person.managerId === null ? null : Number(person.managerId),
      hire_date: person.hireDate,
    });
  }

  transfer(id: string, job: ContractJob, date: string): void {
    this.fake.update(Number(id), { position: job.title, department: job.department, office: job.location }, date);
  }

  changeUnseenByDelta(id: string, job: ContractJob): void {
    this.fake.updateUnstamped(Number(id), { position: job.title, department: job.department, office: job.location });
  }

  terminate(id: string, lastDay: string): void {
    this.fake.update(Number(id), { termination_date: lastDay, last_working_day: lastDay });
  }

  delete(id: string): void {
    this.fake.delete(Number(id));
  }

  malform(id: string): string {
    this.fake.update(Number(id), { hire_date: 'next week' });
    return 'hire_date';
  }

  changeEmail(id: string, email: string): void {
    this.fake.update(Number(id), { email });
  }

  throttle(_status: 429 | 503, seconds: number, afterRequests = 0): void {
    this.fake.throttle(afterRequests + 1, String(seconds));
  }

  revokeCredentials(): void {
    this.fake.revoke();
  }

  restoreCredentials(): void {
    this.fake.restore();
  }

  get listPageRequests(): number {
    return this.fake.requests.filter((r) => r.path === '/v1/company/employees' && /offset=/.test(r.query)).length;
  }
}
