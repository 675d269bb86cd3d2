/** The AFAS connector and its fake, as the connector contract suites drive them. */
import { AfasSource } from '../../../../../functions/sources/connectors/afas/afas-hr-source';
import { FAKE_CONNECTOR_ID, FakeAfas } from '../../../../harness/hr-fakes/afas/fake-afas';
import type { ConnectorDriver, ContractJob, ContractPerson, ContractSourceOptions } from '../contract/connector-driver';
import { FakeDriver } from '../contract/fake-driver';

/** The App Connector token's data (64 hex characters). */
const TOKEN = '0123456789ABCDEF'.repeat(4);
const SECRET = 'afas-token';

function periodOf(job: ContractJob) {
  return {
    Functie_omschrijving: job.title,
    Organisatorische_eenheid_omschrijving: job.department,
    Standplaats: job.location,
  };
}

export class AfasDriver extends FakeDriver<FakeAfas> implements ConnectorDriver {
  readonly vendor = 'AFAS';
  readonly kind = 'afas';
  /** A GetConnector shows no deletions (AFAS keeps them in separate, customer-defined log connectors). */
  readonly deletes = false;
  readonly throttleStatuses = [429, 503] as const;

  protected async startFake(): Promise<FakeAfas> {
    const fake = await FakeAfas.start();
    fake.token = TOKEN;
    return fake;
  }

  source(options: ContractSourceOptions): AfasSource {
    return new AfasSource({
      id: options.id,
      source: options.source,
      baseUrl: this.fake.baseUrl,
      connectorId: FAKE_CONNECTOR_ID,
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
        connectorId: FAKE_CONNECTOR_ID,
        token: { secret: SECRET },
        schedule: '0 0 0 1 1 *',
      },
      secrets: { [SECRET]: TOKEN },
    };
  }

  hire(person: ContractPerson): void {
    this.fake.hire({
      id: person.id,
      person: {
        Voornaam: person.first,
        Roepnaam: person.first,
        Voorvoegsel: null,
        Achternaam: person.last,
        Email_werk: person.email,
        Datum_in_dienst: person.hireDate,
        Datum_uit_dienst: null,
      },
      start: person.hireDate,
      period: {
        ...periodOf(person),
        Medewerkernummer_leidinggevende: person.managerId,
        Soort_medewerker: 'Werknemer',
        Werkgever_code: 'NL01',
      },
    });
  }

  transfer(id: string, job: ContractJob, date: string): void {
    this.fake.addPeriod(id, date, periodOf(job));
  }

  terminate(id: string, lastDay: string): void {
    this.fake.terminate(id, lastDay);
  }

  delete(): void {
    throw new Error('AFAS GetConnectors report no deletions');
  }

  malform(id: string): string {
    this.fake.setField(id, 'Datum_in_dienst', 'volgende week');
    return 'Datum_in_dienst';
  }

  changeEmail(id: string, email: string): void {
    this.fake.setField(id, 'Email_werk', email);
  }

  throttle(status: 429 | 503, seconds: number, afterRequests = 0): void {
    this.fake.throttle({ onRequest: afterRequests + 1, status, retryAfterSeconds: seconds });
  }

  revokeCredentials(): void {
    this.fake.token = 'F'.repeat(64);
  }

  restoreCredentials(): void {
    this.fake.token = TOKEN;
  }

  get listPageRequests(): number {
    return this.fake.connectorRequests;
  }
}
