/**
 * AFAS source settings: accepted in the configuration's `sources` with their defaults; an inlined token,
 * an unknown key, a field id that would break a filter, a page over 1,000 or plain HTTP refused; and the
 * built source reads its token from the secret store.
 */
import { sourceSettings } from '../../../../../functions/config/config-sections';
import {
  afasSourceFrom,
  afasSourceSettings,
} from '../../../../../functions/sources/connectors/afas/afas-source-config';
import type { Logger } from '../../../../../shared/ports/logger.port';
import type { SecretStore } from '../../../../../shared/ports/secret-store.port';
import { FAKE_CONNECTOR_ID, FakeAfas } from '../../../../harness/hr-fakes/afas/fake-afas';

const minimal = {
  id: 'hr-afas',
  kind: 'afas',
  source: 'afas',
  environment: '12345',
  connectorId: 'HR2AD_Medewerkers',
  token: { secret: 'afas-token' },
};

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

describe('AFAS source settings', () => {
  it('are one of the configuration sources, with defaults', () => {
    expect(sourceSettings.parse(minimal)).toEqual({
      ...minimal,
      schedule: '0 */15 * * * *',
      fullReadSchedule: '0 0 2 * * *',
      fields: {},
      pageSize: 1000,
    });
  });

  it.each([
    [{ ...minimal, token: 'ABCDEF' }, 'token'],
    [{ ...minimal, pageSize: 5000 }, 'pageSize'],
    [{ ...minimal, environment: 'acme' }, 'environment'],
    [{ ...minimal, environment: undefined }, 'environment'],
    [{ ...minimal, baseUrl: 'http://12345.rest.afas.online/ProfitRestServices' }, 'baseUrl'],
    [{ ...minimal, fields: { employeeId: 'Medewerker;1' } }, 'fields.employeeId'],
    [{ ...minimal, fields: { department: 'Afdeling', nickname: 'Bijnaam' } }, 'fields'],
    [{ ...minimal, connectorId: 'HR Medewerkers' }, 'connectorId'],
    [{ ...minimal, Token: { secret: 'x' } }, ''],
  ])('refuses %p (at %p)', (input, path) => {
    const parsed = afasSourceSettings.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('the built source reads the token from the secret store and its field ids from the settings', async () => {
    const fake = await FakeAfas.start();
    try {
      fake.token = 'C'.repeat(64);
      fake.hire({
        id: '7',
        person: { Voornaam: 'Eva', Achternaam: 'Jansen', Datum_in_dienst: '2020-01-01' },
        start: '2020-01-01',
        period: { Standplaats: 'Utrecht', Functie_code: 'ENG' },
      });
      const secrets = { get: async (name: string) => (name === 'afas-token' ? 'C'.repeat(64) : null) } as SecretStore;
      const settings = afasSourceSettings.parse({
        ...minimal,
        baseUrl: fake.baseUrl,
        connectorId: FAKE_CONNECTOR_ID,
        fields: { title: 'Functie_code' },
      });
      const source = afasSourceFrom(settings, {
        secrets: async () => secrets,
        clock: { now: () => new Date('2026-06-01T09:00:00Z') },
        logger: quiet,
      });
      const read = await source.read({ since: null });
      expect(read.kind === 'snapshot' && read.records).toEqual([
        expect.objectContaining({ id: '7', title: 'ENG', location: 'Utrecht' }),
      ]);
      expect(fake.invalidRequests).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
