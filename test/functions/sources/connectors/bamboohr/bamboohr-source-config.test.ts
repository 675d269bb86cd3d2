/**
 * BambooHR source settings: accepted in the configuration's `sources`, unknown keys and inlined keys
 * refused, and the built source reads its key from the secret store at each read.
 */
import { sourceSettings } from '../../../../../functions/config/config-sections';
import {
  bamboohrSourceFrom,
  bamboohrSourceSettings,
} from '../../../../../functions/sources/connectors/bamboohr/bamboohr-source-config';
import type { SecretStore } from '../../../../../shared/ports/secret-store.port';
import type { Logger } from '../../../../../shared/ports/logger.port';

const minimal = {
  id: 'hr-bamboo',
  kind: 'bamboohr',
  source: 'bamboohr',
  companyDomain: 'acme',
  apiKey: { secret: 'bamboohr-api-key' },
};

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

describe('BambooHR source settings', () => {
  it('are one of the configuration sources, with defaults', () => {
    expect(sourceSettings.parse(minimal)).toEqual({
      ...minimal,
      schedule: '0 */5 * * * *',
      fullReadSchedule: '0 0 2 * * *',
      pageSize: 100,
    });
  });

  it('may be read whole on another schedule, or never', () => {
    expect(sourceSettings.parse({ ...minimal, fullReadSchedule: '0 0 3 * * 0' })).toMatchObject({
      fullReadSchedule: '0 0 3 * * 0',
    });
    expect(sourceSettings.parse({ ...minimal, fullReadSchedule: null })).toMatchObject({ fullReadSchedule: null });
    expect(sourceSettings.safeParse({ ...minimal, fullReadSchedule: 'daily' }).success).toBe(false);
  });

  it.each([
    [{ ...minimal, apiKey: 'inline-key' }, 'apiKey'],
    [{ ...minimal, pageSize: 2500 }, 'pageSize'],
    [{ ...minimal, companyDomain: 'acme.bamboohr.com' }, 'companyDomain'],
    [{ ...minimal, baseUrl: 'ftp://example.com' }, 'baseUrl'],
    [{ ...minimal, baseUrl: 'http://acme.bamboohr.com/api' }, 'baseUrl'],
    [{ ...minimal, apikey: { secret: 'x' } }, ''],
  ])('refuses %p (at %p)', (input, path) => {
    const parsed = bamboohrSourceSettings.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('takes plain http only to this machine (a test server)', () => {
    expect(bamboohrSourceSettings.safeParse({ ...minimal, baseUrl: 'http://127.0.0.1:8080/api' }).success).toBe(true);
    expect(bamboohrSourceSettings.safeParse({ ...minimal, baseUrl: 'https://acme.bamboohr.com/api' }).success).toBe(
      true,
    );
  });

  it('builds a source whose key comes from the secret store at each read', async () => {
    const asked: string[] = [];
    const store = {
      get: async (name: string) => {
        asked.push(name);
        return null;
      },
    } as unknown as SecretStore;
    const settings = bamboohrSourceSettings.parse({ ...minimal, baseUrl: 'http://127.0.0.1:9/api' });
    const source = bamboohrSourceFrom(settings, {
      secrets: async () => store,
      clock: { now: () => new Date() },
      logger: quiet,
    });
    expect(source.id).toBe('hr-bamboo');
    await expect(source.read()).rejects.toThrow('BambooHR source hr-bamboo: the API key secret is not set');
    await expect(source.read()).rejects.toThrow('the API key secret is not set');
    expect(asked).toEqual(['bamboohr-api-key', 'bamboohr-api-key']);
  });
});
