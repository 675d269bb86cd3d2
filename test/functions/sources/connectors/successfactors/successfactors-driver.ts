/** The SuccessFactors connector (OAuth SAML bearer) and its fake, as the connector contract suites drive them. */
import { generateKeyPairSync } from 'node:crypto';
import { SuccessFactorsSource } from '../../../../../functions/sources/connectors/successfactors/successfactors-hr-source';
import {
  FakeSuccessFactors,
  type FakeSuccessFactorsOptions,
} from '../../../../harness/hr-fakes/successfactors/fake-successfactors';
import type { ConnectorDriver, ContractJob, ContractPerson, ContractSourceOptions } from '../contract/connector-driver';
import { FakeDriver } from '../contract/fake-driver';

const KEY_SECRET = 'sf-private-key';

/** The OAuth client's key pair: the private key goes to the connector, the public one to the fake. */
export function successfactorsKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** Ids are decimal strings; SuccessFactors user ids differ from person ids, so the fake makes them differ. */
export const userIdOf = (personIdExternal: string) => `u${personIdExternal}`;

export class SuccessFactorsDriver extends FakeDriver<FakeSuccessFactors> implements ConnectorDriver {
  readonly vendor = 'SuccessFactors';
  readonly kind = 'successfactors';
  /** SuccessFactors has no deleted-person feed. */
  readonly deletes = false;
  readonly throttleStatuses = [429, 503] as const;
  readonly keys = successfactorsKeys();
  readonly account: FakeSuccessFactorsOptions = {
    companyId: 'ACME',
    clientId: 'ZmFrZS1jbGllbnQ',
    apiUserId: 'sfapi',
    publicKey: this.keys.publicKey,
    username: 'sfapi',
    password: 'fake-password',
  };

  protected startFake(): Promise<FakeSuccessFactors> {
    return FakeSuccessFactors.start(this.account);
  }

  source(options: ContractSourceOptions): SuccessFactorsSource {
    return new SuccessFactorsSource({
      id: options.id,
      source: options.source,
      serverUrl: this.fake.baseUrl,
      credentials: {
        kind: 'oauth',
        companyId: this.account.companyId,
        clientId: this.account.clientId,
        userId: this.account.apiUserId,
        privateKey: async () => this.keys.privateKey,
      },
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
        auth: {
          kind: 'oauth',
          companyId: this.account.companyId,
          clientId: this.account.clientId,
          userId: this.account.apiUserId,
          privateKey: { secret: KEY_SECRET },
        },
        schedule: '0 0 0 1 1 *',
      },
      secrets: { [KEY_SECRET]: this.keys.privateKey },
    };
  }

  hire(person: ContractPerson): void {
    this.fake.hire({
      personIdExternal: person.id,
      userId: userIdOf(person.id),
      firstName: person.first,
      lastName: person.last,
      email: person.email,
      hireDate: person.hireDate,
      job: {
        title: person.title,
        department: person.department,
        location: person.location,
        managerUserId: person.managerId === null ? null : userIdOf(person.managerId),
        status: 'A',
      },
    });
  }

  transfer(id: string, job: ContractJob, date: string): void {
    this.fake.addJob(id, { ...this.fake.jobOn(id, date), ...job, start: date });
  }

  terminate(id: string, lastDay: string): void {
    this.fake.terminate(id, lastDay);
  }

  delete(): void {
    throw new Error('SuccessFactors reports no deletions');
  }

  malform(id: string): string {
    this.fake.corrupt(id, 'PerPersonal.firstName', '');
    return 'PerPersonal.firstName';
  }

  changeEmail(id: string, email: string): void {
    this.fake.setEmail(id, email);
  }

  throttle(status: 429 | 503, seconds: number, afterRequests = 0): void {
    this.fake.throttle({ onRequest: afterRequests + 1, status, retryAfter: String(seconds) });
  }

  revokeCredentials(): void {
    this.fake.refuseCredentials = true;
  }

  restoreCredentials(): void {
    this.fake.refuseCredentials = false;
  }

  get listPageRequests(): number {
    return this.fake.requests.filter((r) => r.entity === 'PerPerson').length;
  }
}
