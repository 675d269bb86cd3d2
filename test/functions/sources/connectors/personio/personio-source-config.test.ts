/**
 * Personio source settings: accepted in the configuration's `sources` with their defaults; inlined
 * credentials, pages over Personio's 100, plain HTTP to another host and unknown keys refused; the built
 * source reads its credentials from the secret store.
 */
import { sourceSettings } from '../../../../../functions/config/config-sections';
import {
  personioSourceFrom,
  personioSourceSettings,
} from '../../../../../functions/sources/connectors/personio/personio-source-config';
import type { Logger } from '../../../../../shared/ports/logger.port';
import type { SecretStore } from '../../../../../shared/ports/secret-store.port';
import { FakePersonio, CLIENT_ID, CLIENT_SECRET } from '../../../../harness/hr-fakes/personio/fake-personio';

const minimal = {
  id: 'hr-personio',
  kind: 'personio',
  source: 'personio',
  clientId: { secret: 'personio-client-id' },
  clientSecret: { secret: 'personio-client-secret' },
};

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

describe('Personio source settings', () => {
  it('are one of the configuration sources, with defaults', () => {
    expect(sourceSettings.parse(minimal)).toEqual({
      ...minimal,
      schedule: '0 */5 * * * *',
      fullReadSchedule: '0 0 2 * * *',
      baseUrl: 'https://api.personio.de',
      pageSize: 100,
    });
  });

  it.each([
    [{ ...minimal, clientSecret: 'inline-secret' }, 'clientSecret'],
    [{ ...minimal, pageSize: 101 }, 'pageSize'],
    [{ ...minimal, baseUrl: 'http://personio.example.com' }, 'baseUrl'],
    [{ ...minimal, token: 'x' }, ''],
  ])('refuses %p (%s)', (settings, path) => {
    const result = personioSourceSettings.safeParse(settings);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('builds a source that takes its credentials from the secret store', async () => {
    const fake = await FakePersonio.start();
    try {
      fake.hire({
        id: 1,
        first_name: 'Ava',
        last_name: 'Nguyen',
        email: 'ava@example.com',
        position: null,
        department: null,
        office: null,
        supervisor_id: null,
        hire_date: '2021-03-01',
      });
      const values: Record<string, string> = {
        'personio-client-id': CLIENT_ID,
        'personio-client-secret': CLIENT_SECRET,
      };
      const secrets = { get: async (name: string) => values[name] ?? null } as unknown as SecretStore;
      const settings = personioSourceSettings.parse({ ...minimal, baseUrl: fake.baseUrl });
      const source = personioSourceFrom(settings, {
        secrets: async () => secrets,
        clock: { now: () => new Date() },
        logger: quiet,
      });
      const read = await source.read({ since: null });
      expect(read.kind === 'snapshot' && read.records).toHaveLength(1);
      expect(fake.invalidRequests).toEqual([]);
    } finally {
      await fake.close();
    }
  }, 60_000);
});
