/**
 * The Azure app's settings, validated at start: defaults filled in, and on failure one error naming every
 * missing or invalid setting, never echoing a value (a setting may hold a secret by mistake, and the error
 * lands in the host's log).
 *
 * | case                                   | expected                                              |
 * | -------------------------------------- | ----------------------------------------------------- |
 * | the three required settings only       | valid; queue names, database, signing, config default |
 * | nothing set                            | the three required settings named, nothing else       |
 * | blank values                           | treated as unset                                      |
 * | every optional setting invalid         | each named once, no value in the message              |
 * | managed identity markers               | AZURE_CLIENT_ID, IDENTITY_ENDPOINT or MSI_ENDPOINT    |
 */
import {
  AppSettingsError,
  hasManagedIdentity,
  readAppSettings,
  SERVICE_BUS_NAMESPACE_SETTING,
} from '../../../functions/azure/app-settings';

const REQUIRED = {
  [SERVICE_BUS_NAMESPACE_SETTING]: 'contoso-hr2ad.servicebus.windows.net',
  HR2AD_COSMOS_ENDPOINT: 'https://contoso-hr2ad.documents.azure.com:443/',
  HR2AD_KEY_VAULT_URL: 'https://contoso-hr2ad.vault.azure.net/',
};

function failureOf(env: Record<string, string | undefined>): AppSettingsError {
  try {
    readAppSettings(env);
  } catch (error) {
    if (error instanceof AppSettingsError) return error;
    throw error;
  }
  throw new Error('the settings were accepted');
}

it('fills in the defaults around the three required settings', () => {
  expect(readAppSettings(REQUIRED)).toEqual({
    ServiceBusConnection__fullyQualifiedNamespace: 'contoso-hr2ad.servicebus.windows.net',
    HR2AD_COMMANDS_QUEUE: 'hr2ad-commands',
    HR2AD_RESULTS_QUEUE: 'hr2ad-results',
    HR2AD_SERVICE_BUS_WEBSOCKETS: false,
    HR2AD_COSMOS_ENDPOINT: 'https://contoso-hr2ad.documents.azure.com:443',
    HR2AD_COSMOS_DATABASE: 'hr2ad',
    HR2AD_KEY_VAULT_URL: 'https://contoso-hr2ad.vault.azure.net',
    HR2AD_SIGNING_MODE: 'signingKeySecret',
    HR2AD_SIGNING_KEY_SECRET: 'command-signing-key',
    HR2AD_SIGNING_KEY_NAME: 'command-signing-key',
    HR2AD_SIGNING_KEY_CACHE_SECONDS: 60,
    HR2AD_CONFIG: 'hr2ad.config.json',
    HR2AD_LOG_LEVEL: 'info',
  });
});

it('reads set values and ignores settings it does not know', () => {
  const settings = readAppSettings({
    ...REQUIRED,
    HR2AD_COMMANDS_QUEUE: 'cmds',
    HR2AD_SERVICE_BUS_WEBSOCKETS: 'true',
    HR2AD_SIGNING_MODE: 'signOperation',
    HR2AD_AUDIT_RETENTION_DAYS: '400',
    AZURE_CLIENT_ID: '6f1c2d3e-4a5b-4c6d-8e7f-001122334455',
    FUNCTIONS_WORKER_RUNTIME: 'node',
  });
  expect(settings).toMatchObject({
    HR2AD_COMMANDS_QUEUE: 'cmds',
    HR2AD_SERVICE_BUS_WEBSOCKETS: true,
    HR2AD_SIGNING_MODE: 'signOperation',
    HR2AD_AUDIT_RETENTION_DAYS: 400,
  });
  expect(settings).not.toHaveProperty('FUNCTIONS_WORKER_RUNTIME');
  expect(Object.isFrozen(settings)).toBe(true);
});

it('names each required setting when none is set, and nothing else', () => {
  const error = failureOf({});
  expect(error.problems).toEqual([
    { setting: SERVICE_BUS_NAMESPACE_SETTING, message: 'is required' },
    { setting: 'HR2AD_COSMOS_ENDPOINT', message: 'is required' },
    { setting: 'HR2AD_KEY_VAULT_URL', message: 'is required' },
  ]);
  expect(error.message).toContain('ServiceBusConnection__fullyQualifiedNamespace is required');
});

it('treats a blank value as unset', () => {
  const error = failureOf({ ...REQUIRED, HR2AD_COSMOS_ENDPOINT: '   ', HR2AD_COMMANDS_QUEUE: '' });
  expect(error.problems).toEqual([{ setting: 'HR2AD_COSMOS_ENDPOINT', message: 'is required' }]);
});

const SENTINEL = 'Sentinel-Value-7q';

const INVALID: readonly [setting: string, value: string][] = [
  [SERVICE_BUS_NAMESPACE_SETTING, `sb://${SENTINEL}/`],
  ['HR2AD_COMMANDS_QUEUE', `/${SENTINEL}`],
  ['HR2AD_RESULTS_QUEUE', `?${SENTINEL}`],
  ['HR2AD_SERVICE_BUS_WEBSOCKETS', SENTINEL],
  ['HR2AD_COSMOS_ENDPOINT', `http://${SENTINEL}.documents.azure.com`],
  ['HR2AD_COSMOS_DATABASE', `a/${SENTINEL}`],
  ['HR2AD_KEY_VAULT_URL', SENTINEL],
  ['HR2AD_SIGNING_MODE', SENTINEL],
  ['HR2AD_SIGNING_KEY_SECRET', `${SENTINEL}_`],
  ['HR2AD_SIGNING_KEY_NAME', `${SENTINEL}.`],
  ['HR2AD_SIGNING_KEY_CACHE_SECONDS', SENTINEL],
  ['HR2AD_AUDIT_RETENTION_DAYS', '0'],
  ['HR2AD_LOG_LEVEL', SENTINEL],
  ['AZURE_CLIENT_ID', SENTINEL],
];

it('names every invalid setting once, in one error, without any value', () => {
  const error = failureOf(Object.fromEntries(INVALID));
  expect(error.problems.map((p) => p.setting)).toEqual(INVALID.map(([setting]) => setting));
  expect(error.message).not.toContain(SENTINEL);
  expect(JSON.stringify(error.problems)).not.toContain(SENTINEL);
});

it.each(INVALID)('%s: one problem naming it, with what is expected', (setting, value) => {
  const error = failureOf({ ...REQUIRED, [setting]: value });
  expect(error.problems).toHaveLength(1);
  expect(error.problems[0]!.setting).toBe(setting);
  expect(error.problems[0]!.message).toMatch(/^must /);
  expect(error.message).not.toContain(SENTINEL);
});

it.each([
  [{}, false],
  [{ AZURE_CLIENT_ID: '6f1c2d3e-4a5b-4c6d-8e7f-001122334455' }, true],
  [{ IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token' }, true],
  [{ MSI_ENDPOINT: 'http://localhost:8081/msi/token' }, true],
])('managed identity present with %j: %s', (extra, expected) => {
  expect(hasManagedIdentity(readAppSettings({ ...REQUIRED, ...extra }))).toBe(expected);
});
