/**
 * `hr2ad init` and the help of the control plane's commands, through `runCli` (functions/cli/program.ts)
 * over injected I/O and a temp directory. Proves:
 * - init writes hr2ad.config.json and mapping.json that validate (parseControlPlaneConfig,
 *   compileMappingConfig, and loadControlPlaneConfig reads them together), with the source path relative
 *   to the configuration, the password file absolute and no secret in either file;
 * - it refuses to overwrite either file without --force (exit 1, files untouched), and overwrites with it;
 * - an option that gives an invalid configuration exits 1 and writes nothing; a missing required option
 *   is a usage error (2);
 * - `--help` of init, run, sync, status, approve and reject exits 0 and lists every option and the exit
 *   codes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../../functions/cli/cli-io';
import { runCli } from '../../../../functions/cli/program';
import { parseControlPlaneConfig } from '../../../../functions/config/control-plane-config';
import { loadControlPlaneConfig } from '../../../../functions/config/load-config';
import { compileMappingConfig } from '../../../../shared/mapping/config';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `hr2ad <argv>` over real file reads and captured output. */
async function hr2ad(argv: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    readFile: (path) => readFile(path, 'utf8'),
    readStdin: async () => '',
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    now: new Date('2026-12-01T00:00:00Z'),
  };
  const code = await runCli(argv, io, { version: '0.0.0-test' });
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hr2ad-init-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const DOMAIN = 'DC=corp,DC=example,DC=com';
const initArgs = (...extra: string[]) => [
  'init',
  '--dir',
  dir,
  '--domain',
  DOMAIN,
  '--ldap-url',
  'ldaps://dc1.corp.example.com',
  '--bind-password-file',
  join(dir, 'secrets', 'ad-password'),
  '--source',
  join(dir, 'hr', 'workers.csv'),
  ...extra,
];
const files = () => ({ config: join(dir, 'hr2ad.config.json'), mapping: join(dir, 'mapping.json') });
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

describe('hr2ad init', () => {
  it('writes a configuration and a mapping that validate, with no secret in them', async () => {
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'ad-password'), 'Pa55-w0rd-never-copied\n');
    const run = await hr2ad(initArgs());
    expect(run).toEqual({ code: 0, stdout: `wrote ${files().config}\nwrote ${files().mapping}\n`, stderr: '' });

    const config = parseControlPlaneConfig(readJson(files().config));
    expect(config.ok).toBe(true);
    expect(compileMappingConfig(readJson(files().mapping)).ok).toBe(true);
    const loaded = loadControlPlaneConfig(files().config);
    expect(loaded.config).toMatchObject({
      version: 1,
      sources: [{ id: 'hr-file', kind: 'csv', path: join('hr', 'workers.csv'), schedule: '0 */5 * * * *' }],
      mapping: { file: 'mapping.json' },
      agent: {
        directory: {
          url: 'ldaps://dc1.corp.example.com',
          bindDn: `CN=Administrator,CN=Users,${DOMAIN}`,
          bindPassword: { file: join(dir, 'secrets', 'ad-password') },
        },
        policy: { domainDn: DOMAIN, allowedOus: [`OU=Users,${DOMAIN}`, `OU=Disabled Users,${DOMAIN}`] },
      },
      api: { port: 7071 },
    });
    for (const file of Object.values(files())) expect(readFileSync(file, 'utf8')).not.toContain('Pa55-w0rd');
  });

  it('takes the schedule, offices and UPN suffix it is given', async () => {
    const run = await hr2ad(
      initArgs('--schedule', '0 0 * * * *', '--offices', 'Paris=Europe/Paris', '--upn-suffix', 'example.org'),
    );
    expect(run.code).toBe(0);
    const text = readFileSync(files().mapping, 'utf8');
    expect(text).toContain(`OU=Paris,OU=Users,${DOMAIN}`);
    expect(text).toContain('Europe/Paris');
    expect(text).toContain('example.org');
    expect(firstScheduleOf(files().config)).toBe('0 0 * * * *');
  });

  it.each(['config', 'mapping'] as const)('refuses to overwrite an existing %s file without --force', async (which) => {
    writeFileSync(files()[which], 'mine\n');
    const run = await hr2ad(initArgs());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/already exists; add --force to overwrite/);
    expect(readFileSync(files()[which], 'utf8')).toBe('mine\n');
    const other = which === 'config' ? 'mapping' : 'config';
    expect(existsSync(files()[other])).toBe(false);
  });

  it('refuses when both exist, naming both, and overwrites them with --force', async () => {
    expect((await hr2ad(initArgs())).code).toBe(0);
    const again = await hr2ad(initArgs('--schedule', '0 0 3 * * *'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${files().config} and ${files().mapping} already exist`);

    const forced = await hr2ad(initArgs('--schedule', '0 0 3 * * *', '--force'));
    expect(forced.code).toBe(0);
    expect(firstScheduleOf(files().config)).toBe('0 0 3 * * *');
  });

  it('exits 1 and writes nothing when the options give an invalid configuration', async () => {
    const run = await hr2ad(initArgs('--schedule', 'every five minutes'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/invalid configuration[\s\S]*schedule/);
    expect(existsSync(files().config) || existsSync(files().mapping)).toBe(false);
  });

  it('is a usage error (2) without a required option', async () => {
    const run = await hr2ad(['init', '--dir', dir, '--domain', DOMAIN]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/required option/);
    expect(existsSync(files().config)).toBe(false);
  });
});

describe('--help of the control plane commands', () => {
  const CONFIG_NOW = ['--config <file>', '--now <instant>'];
  const HELP: readonly (readonly [string, readonly string[]])[] = [
    [
      'init',
      [
        '--domain <dn>',
        '--ldap-url <url>',
        '--bind-password-file <file>',
        '--source <file>',
        '--dir <dir>',
        '--upn-suffix <suffix>',
        '--bind-dn <dn>',
        '--ca-file <file>',
        '--server-name <name>',
        '--offices <list>',
        '--schedule <ncrontab>',
        '--force',
      ],
    ],
    ['run', [...CONFIG_NOW, '--port <port>', '--verbose']],
    ['sync', [...CONFIG_NOW, '--source <id>', '--dry-run', '--json', '--verbose']],
    ['status', [...CONFIG_NOW, '[worker]', '--json']],
    ['approve', [...CONFIG_NOW, '<cycle>', '--by <name>']],
    ['reject', [...CONFIG_NOW, '<cycle>', '--by <name>']],
  ];

  it.each(HELP)('hr2ad %s --help exits 0 and lists its options and the exit codes', async (command, options) => {
    const run = await hr2ad([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`Usage: hr2ad ${command}`);
    for (const option of [...options, '-h, --help']) expect(run.stdout).toContain(option);
    expect(run.stdout).toContain('Exit codes:');
    for (const code of ['0', '1', '2', '3', '4', '5', '70'])
      expect(run.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
  });

  it('hr2ad --help lists every control plane command', async () => {
    const run = await hr2ad(['--help']);
    expect(run.code).toBe(0);
    for (const [command] of HELP) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});

/** The schedule of the first source the written configuration reads. */
function firstScheduleOf(configFile: string): string | undefined {
  const first = loadControlPlaneConfig(configFile).config.sources[0];
  return first && first.kind !== 'scim' ? first.schedule : undefined;
}
