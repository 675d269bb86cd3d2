/**
 * The app settings the control plane reads in Azure (Function App → Configuration → Application settings,
 * or `local.settings.json` under Core Tools), validated once at start. Every missing or invalid setting is
 * reported at once, by name, and never with its value: an app setting may hold a secret by mistake, and the
 * error lands in the host's log. Names follow what Azure users expect: the Functions host's identity-based
 * connection convention (`<Connection>__fullyQualifiedNamespace`), the Azure SDK's `AZURE_CLIENT_ID`, and
 * `HR2AD_*` for our own. docs/azure.md explains each.
 */
import { z } from 'zod';
import { deepFreeze } from '../../shared/util/deep-freeze';
import { KEY_VAULT_SIGNING_MODES } from '../adapters/key-vault/command-signer-for';
import { SERVICE_BUS_CONNECTION_SETTING } from '../app/control-plane-ports';

/** The setting the results trigger and the command channel take the Service Bus namespace from. */
export const SERVICE_BUS_NAMESPACE_SETTING = `${SERVICE_BUS_CONNECTION_SETTING}__fullyQualifiedNamespace`;

/** The message for an unset setting, or `otherwise` for one that is set but wrong. */
const unlessMissing =
  (otherwise: string) =>
  (issue: { readonly input?: unknown }): string =>
    issue.input === undefined ? 'is required' : otherwise;

const httpsUrl = z
  .url({ protocol: /^https$/, error: unlessMissing('must be an https:// URL') })
  .transform((url) => url.replace(/\/+$/, ''));
/** A Service Bus queue name (letters, digits, period, hyphen, underscore; up to 260). */
const entityName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,259}$/, 'must be a queue name');
const keyVaultName = z.string().regex(/^[A-Za-z0-9-]{1,127}$/, 'must be a Key Vault name (1-127 of A-Z a-z 0-9 -)');
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((text) => text === 'true');

export const appSettingsSchema = z.object({
  /** The Service Bus namespace, e.g. `contoso-hr2ad.servicebus.windows.net` (identity-based connection). */
  [SERVICE_BUS_NAMESPACE_SETTING]: z
    .string({ error: unlessMissing('must be text') })
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be a host name such as <namespace>.servicebus.windows.net'),
  /** Session-enabled queue commands are sent to (default `hr2ad-commands`). */
  HR2AD_COMMANDS_QUEUE: entityName.default('hr2ad-commands'),
  /** Queue agents send results, heartbeats and refusals to (default `hr2ad-results`). */
  HR2AD_RESULTS_QUEUE: entityName.default('hr2ad-results'),
  /** AMQP over WebSockets on 443 instead of AMQP on 5671 (default false). */
  HR2AD_SERVICE_BUS_WEBSOCKETS: flag.default(false),
  /** The Cosmos DB account endpoint, e.g. `https://contoso-hr2ad.documents.azure.com`. */
  HR2AD_COSMOS_ENDPOINT: httpsUrl,
  /** The Cosmos DB database holding the state (default `hr2ad`). */
  HR2AD_COSMOS_DATABASE: z
    .string()
    .regex(/^[^/\\?#]{1,255}$/, 'must be a database name (no / \\ ? #)')
    .default('hr2ad'),
  /** The Key Vault holding the command signing key, e.g. `https://contoso-hr2ad.vault.azure.net`. */
  HR2AD_KEY_VAULT_URL: httpsUrl,
  /**
   * `signingKeySecret` (default): the signing key is a Key Vault secret, as `hr2ad signing-key rotate` writes
   * it, read again after the cache time and used in process. `signOperation`: an EC P-256 Key Vault key signs
   * every command in the vault (ES256), its private half never leaving it.
   */
  HR2AD_SIGNING_MODE: z
    .enum(KEY_VAULT_SIGNING_MODES, { error: `must be ${KEY_VAULT_SIGNING_MODES.join(' or ')}` })
    .default('signingKeySecret'),
  /** The Key Vault secret holding the signing key, for `signingKeySecret` (default `command-signing-key`). */
  HR2AD_SIGNING_KEY_SECRET: keyVaultName.default('command-signing-key'),
  /** The Key Vault key, for `signOperation` (default `command-signing-key`). */
  HR2AD_SIGNING_KEY_NAME: keyVaultName.default('command-signing-key'),
  /** Seconds a read key is used before the vault is read again (default 60): a rotation is in force within it. */
  HR2AD_SIGNING_KEY_CACHE_SECONDS: wholeNumber(1, 3600).default(60),
  /** Days audit entries are kept (Cosmos DB's time to live); unset keeps them. */
  HR2AD_AUDIT_RETENTION_DAYS: wholeNumber(1, 36_500).optional(),
  /** The configuration deployed with the app, relative to the app's folder (default `hr2ad.config.json`). */
  HR2AD_CONFIG: z.string().min(1, 'must be a path').default('hr2ad.config.json'),
  /** Lowest level logged (default `info`). */
  HR2AD_LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
    .default('info'),
  /** The client id of a user-assigned managed identity; unset for the system-assigned one. */
  AZURE_CLIENT_ID: z.uuid({ error: 'must be a client id (a GUID)' }).optional(),
  /** Set by App Service when the app has a managed identity (read only to choose the credential). */
  IDENTITY_ENDPOINT: z.string().optional(),
  /** The older name of IDENTITY_ENDPOINT, still set on some plans. */
  MSI_ENDPOINT: z.string().optional(),
});

/** The settings as validated, with defaults filled in; deep-frozen. */
export type AppSettings = Readonly<z.output<typeof appSettingsSchema>>;

/** One or more app settings are missing or invalid; the message names each, never a value. */
export class AppSettingsError extends Error {
  override readonly name = 'AppSettingsError';
  constructor(readonly problems: readonly { readonly setting: string; readonly message: string }[]) {
    super(`invalid app settings (see docs/azure.md): ${problems.map((p) => `${p.setting} ${p.message}`).join('; ')}`);
  }
}

/** Unset and blank settings are the same to an operator (the portal keeps blank values). */
function presentSettings(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const names = Object.keys(appSettingsSchema.shape);
  const present = names.flatMap((name) => {
    const value = env[name]?.trim();
    return value ? [[name, value] as const] : [];
  });
  return Object.fromEntries(present);
}

/** Reads and validates the settings from `env` (the process environment in Azure); throws AppSettingsError. */
export function readAppSettings(env: Readonly<Record<string, string | undefined>>): AppSettings {
  const parsed = appSettingsSchema.safeParse(presentSettings(env), { reportInput: false });
  if (parsed.success) return deepFreeze(parsed.data);
  const problems = parsed.error.issues.map((issue) => ({
    setting: String(issue.path[0] ?? '(settings)'),
    message: issue.message,
  }));
  throw new AppSettingsError(problems);
}

/** True where the platform gives the app a managed identity (App Service sets IDENTITY_ENDPOINT or MSI_ENDPOINT). */
export function hasManagedIdentity(settings: AppSettings): boolean {
  return Boolean(settings.AZURE_CLIENT_ID ?? settings.IDENTITY_ENDPOINT ?? settings.MSI_ENDPOINT);
}
