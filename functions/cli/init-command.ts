/**
 * `hr2ad init`: writes a starter configuration — `hr2ad.config.json` (sources and their schedule, the
 * embedded agent's directory connection and allowed OUs, lifecycle settings, the API port) and
 * `mapping.json` (the shipped default mappings for the domain, with one OU and time zone per office and
 * the safety thresholds) — validated against their schemas before anything is written.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { childDn, dnsNameOfDomain } from '../../shared/directory/dn';
import { compileMappingConfig, createDefaultMappingConfig } from '../../shared/mapping/config';
import { formatIssues } from '../../shared/util/result';
import { CONTROL_PLANE_CONFIG_SCHEMA_FILE, parseControlPlaneConfig } from '../config/control-plane-config';
import type { CliIo } from './cli-io';
import { EXIT, type ExitCode } from './exit-codes';

export interface InitOptions {
  readonly dir: string;
  readonly domain: string;
  readonly upnSuffix?: string;
  readonly ldapUrl: string;
  readonly bindDn?: string;
  readonly bindPasswordFile: string;
  readonly caFile?: string;
  readonly serverName?: string;
  readonly source: string;
  readonly offices: string;
  readonly schedule: string;
  readonly force?: boolean;
}

/** The sample's offices: `Office=IANA zone`, comma-separated. */
export const DEFAULT_OFFICES =
  'London=Europe/London,Berlin=Europe/Berlin,New York=America/New_York,Los Angeles=America/Los_Angeles,Sydney=Australia/Sydney,Tokyo=Asia/Tokyo';

export const INIT_HELP = `
Writes <dir>/hr2ad.config.json and <dir>/mapping.json (refuses to overwrite them without --force).
Accounts go to OU=<office>,OU=Users,<domain> by the worker's Location, leavers to
OU=Disabled Users,<domain>; the agent may touch nothing else. Create those OUs in AD first: hr2ad
never creates OUs. The directory password stays in its file; no secret is written to the configuration.

Example:
  hr2ad init --domain DC=corp,DC=example,DC=com --ldap-url ldaps://dc1.corp.example.com \\
    --bind-password-file /etc/hr2ad/ad-password --ca-file /etc/hr2ad/ad-ca.pem \\
    --source hr/workers.csv
`;

function parseOffices(text: string): [string, string][] {
  return text
    .split(',')
    .map((pair) => pair.split('=').map((s) => s.trim()))
    .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== '' && pair[1] !== '');
}

function starterDocuments(options: InitOptions) {
  const { domain } = options;
  const offices = parseOffices(options.offices);
  const users = childDn('OU', 'Users', domain);
  const defaults = createDefaultMappingConfig({
    domainDn: domain,
    upnSuffix: options.upnSuffix ?? dnsNameOfDomain(domain),
    locationOus: Object.fromEntries(offices.map(([office]) => [office, childDn('OU', office, users)])),
    locationTimeZones: Object.fromEntries(offices),
  });
  // A hire rescinded before the start never worked here: the account created ahead is removed. The
  // thresholds are Entra's accidental-deletion defaults, written out so the administrator sees them.
  const mapping = {
    ...defaults,
    leaver: { moveToDisabledOu: true, removeFromGroups: true, deleteAfterDays: null, rescindedHire: 'delete' },
    thresholds: { disableOrDelete: { maxCount: 50, maxPercent: null } },
  };
  const tls = {
    ...(options.caFile ? { caFile: resolve(options.caFile) } : {}),
    ...(options.serverName ? { serverName: options.serverName } : {}),
  };
  const config = {
    $schema: `https://hr2ad.dev/schemas/${CONTROL_PLANE_CONFIG_SCHEMA_FILE}`,
    version: 1,
    dataDirectory: '.hr2ad',
    sources: [{ id: 'hr-file', kind: 'csv', path: options.source, source: 'hr', schedule: options.schedule }],
    mapping: { file: 'mapping.json' },
    agent: {
      directory: {
        url: options.ldapUrl,
        bindDn: options.bindDn ?? `CN=Administrator,CN=Users,${domain}`,
        bindPassword: { file: resolve(options.bindPasswordFile) },
        tls,
      },
      policy: { domainDn: domain, allowedOus: [users, childDn('OU', 'Disabled Users', domain)] },
    },
    lifecycle: {},
    api: { port: 7071 },
  };
  return { config, mapping };
}

export async function runInit(options: InitOptions, io: CliIo): Promise<ExitCode> {
  const dir = resolve(options.dir);
  const files = { config: join(dir, 'hr2ad.config.json'), mapping: join(dir, 'mapping.json') };
  const existing = Object.values(files).filter((f) => existsSync(f));
  if (existing.length > 0 && !options.force) {
    io.stderr(
      `hr2ad init: ${existing.join(' and ')} already exist${existing.length > 1 ? '' : 's'}; add --force to overwrite\n`,
    );
    return EXIT.invalidInput;
  }
  const { config, mapping } = starterDocuments({ ...options, source: relative(dir, resolve(options.source)) });
  const problems = [...issuesOf(parseControlPlaneConfig(config)), ...issuesOf(compileMappingConfig(mapping))];
  if (problems.length > 0) {
    io.stderr(`hr2ad init: the options give an invalid configuration:\n${formatIssues(problems)}\n`);
    return EXIT.invalidInput;
  }
  await mkdir(dir, { recursive: true });
  await writeFile(files.config, `${JSON.stringify(config, null, 2)}\n`);
  await writeFile(files.mapping, `${JSON.stringify(mapping, null, 2)}\n`);
  await io.stdout(`wrote ${files.config}\nwrote ${files.mapping}\n`);
  return EXIT.ok;
}

function issuesOf(result: { ok: boolean; issues?: readonly { path: string; message: string }[] }) {
  return result.ok ? [] : [...(result.issues ?? [])];
}
