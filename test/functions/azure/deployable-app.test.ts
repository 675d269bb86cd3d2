/**
 * The deployable app: `npm run build` compiles what the Azure entry point reaches, and only that, with the
 * production dependencies it requires; and the compiled `main` registers, when the Functions worker loads
 * it, exactly the functions the source's `registerControlPlane` registers (names, triggers, routes,
 * schedules, queues). The compiled app is loaded in a child process, as the worker loads it, through the
 * local host's `@azure/functions-core` stand-in.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { registerControlPlane } from '../../../functions/app/register-app';
import { readAppSettings } from '../../../functions/azure/app-settings';
import { buildAzurePorts, type AzurePorts } from '../../../functions/azure/azure-ports';
import {
  describeRegistrations,
  type FunctionDescription,
} from '../../../functions/local-host/functions-host/registrations';
import { buildApp } from '../../../scripts/build-app';
import type { Logger } from '../../../shared/ports/logger.port';
import { captureFresh } from '../../harness/functions-core-mock';

jest.setTimeout(120_000);

const REPO = resolve(__dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'hr2ad-azure-build-'));
const out = join(work, 'dist');
const configFile = join(work, 'hr2ad.config.json');

/** Endpoints nobody serves: loading the app must not need them (it registers before any network call). */
const ENV = {
  ServiceBusConnection__fullyQualifiedNamespace: '127.0.0.1:9',
  HR2AD_COSMOS_ENDPOINT: 'https://127.0.0.1:9',
  HR2AD_KEY_VAULT_URL: 'https://127.0.0.1:9',
  HR2AD_RESULTS_QUEUE: 'results-of-agents',
  HR2AD_CONFIG: configFile,
  HR2AD_LOG_LEVEL: 'error',
  AZURE_CLIENT_ID: '6f1c2d3e-4a5b-4c6d-8e7f-001122334455',
};

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function writeConfig(): void {
  const source = (id: string, schedule: string) => ({ id, kind: 'csv', path: `${id}.csv`, source: id, schedule });
  const config = {
    version: 1,
    sources: [source('hr-main', '0 */5 * * * *'), source('hr-contractors', '0 0 * * * *')],
    mapping: { defaults: { domainDn: 'DC=example,DC=com', upnSuffix: 'example.com' } },
    // The local host's sections may stay in the deployed file; the Azure app does not read them.
    agent: { directory: {} },
    channel: { kind: 'embedded' },
  };
  writeFileSync(configFile, JSON.stringify(config));
}

/** What the compiled entry registers when loaded as the worker loads it. */
function compiledRegistrations(): FunctionDescription[] {
  const stdout = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'describe-app.ts'), join(out, 'functions/azure/main.js')],
    { cwd: REPO, env: { ...process.env, ...ENV }, encoding: 'utf8' },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as FunctionDescription[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

let source: FunctionDescription[];
let ports: AzurePorts;

beforeAll(async () => {
  writeConfig();
  buildApp(out, false);
  // The compiled app resolves its packages as an installed one would.
  symlinkSync(join(REPO, 'node_modules'), join(out, 'node_modules'), 'dir');
  ports = buildAzurePorts(readAppSettings(ENV), work, { logger: silent });
  source = describeRegistrations((await captureFresh(() => registerControlPlane(ports.ports))).registrations);
});

afterAll(async () => {
  await ports?.close();
  rmSync(work, { recursive: true, force: true });
});

it('compiles the app without the agent, the local host or the CLI', () => {
  const files = filesUnder(out).filter((file) => !file.startsWith('node_modules'));
  expect(files).toContain('functions/azure/main.js');
  expect(files).toContain('host.json');
  expect(files.filter((file) => /^(agent|functions\/local-host|functions\/cli|test|scripts)\//.test(file))).toEqual([]);
  expect(files.filter((file) => file.endsWith('.js')).every((file) => /^(functions|shared)\//.test(file))).toBe(true);
});

it('writes a package.json with main and only the production dependencies the compiled app requires', () => {
  const manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as {
    main: string;
    dependencies: Record<string, string>;
  };
  const root = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    main: string;
    dependencies: Record<string, string>;
  };
  expect(manifest.main).toBe('functions/azure/main.js');
  expect(root.main).toBe(`dist/${manifest.main}`);
  expect(existsSync(join(out, manifest.main))).toBe(true);
  const names = Object.keys(manifest.dependencies);
  expect(names).toEqual(expect.arrayContaining(['@azure/functions', 'durable-functions', '@azure/cosmos']));
  for (const agentOnly of ['ldapts', 'pino', 'pino-pretty', 'commander', 'https-proxy-agent'])
    expect(names).not.toContain(agentOnly);
  for (const name of names) expect(manifest.dependencies[name]).toBe(root.dependencies[name]);
  expect(readFileSync(join(out, 'host.json'), 'utf8')).toBe(readFileSync(join(REPO, 'host.json'), 'utf8'));
});

it('registers exactly the functions the source registers', () => {
  const compiled = compiledRegistrations();
  expect(compiled).toEqual(source);
  expect(compiled.length).toBeGreaterThan(10);
});

it('registers the timers of the deployed configuration and the results trigger on the queue the settings name', () => {
  const byName = new Map(source.map((f) => [f.name, f]));
  expect(byName.get('poll-hr-main')).toMatchObject({ trigger: 'timerTrigger', schedule: '0 */5 * * * *' });
  expect(byName.get('poll-hr-contractors')).toMatchObject({ trigger: 'timerTrigger', schedule: '0 0 * * * *' });
  expect(byName.get('CommandResults')).toMatchObject({
    trigger: 'serviceBusTrigger',
    queueName: 'results-of-agents',
    connection: 'ServiceBusConnection',
  });
  expect(source.filter((f) => f.trigger === 'orchestrationTrigger').map((f) => f.name)).toEqual([
    'WorkerLifecycle',
    'SyncCycle',
  ]);
  expect(source.some((f) => f.trigger === 'httpTrigger' && f.route === 'health')).toBe(true);
});
