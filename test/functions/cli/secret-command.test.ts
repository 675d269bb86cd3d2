/**
 * `hr2ad secret set|list|delete` through runCli over a temp configuration: set reads the value from
 * standard input (a trailing line break dropped) and stores it in the encrypted secret store; list prints
 * names only; delete removes; a bad name is a usage error (2), empty input an invalid input (1); no value is
 * ever printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../functions/cli/cli-io';
import { runCli } from '../../../functions/cli/program';
import { loadControlPlaneConfig } from '../../../functions/config/load-config';
import { localDataFiles, openSecrets } from '../../../functions/local-host/local-control-plane';

let dir: string;
let config: string;

async function hr2ad(stdin: string, ...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    readFile: (path) => readFile(path, 'utf8'),
    readStdin: async () => stdin,
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
    now: new Date(),
  };
  const code = await runCli(argv, io, { version: '0.0.0-test' });
  return { code, ...out };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hr2ad-secret-'));
  writeFileSync(join(dir, 'password'), 'not used\n');
  writeFileSync(join(dir, 'workers.csv'), 'id\n');
  config = join(dir, 'hr2ad.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      sources: [{ id: 'hr-file', kind: 'csv', path: 'workers.csv', source: 'hr', schedule: '0 0 0 1 1 *' }],
      mapping: { defaults: { domainDn: 'DC=corp,DC=example,DC=test', upnSuffix: 'corp.example.test' } },
      agent: {
        directory: {
          url: 'ldaps://127.0.0.1:1',
          bindDn: 'CN=x,DC=corp,DC=example,DC=test',
          bindPassword: { file: 'password' },
        },
        policy: { domainDn: 'DC=corp,DC=example,DC=test', allowedOus: ['OU=Users,DC=corp,DC=example,DC=test'] },
      },
      api: { port: 0 },
    }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stored = async (name: string) => (await openSecrets(localDataFiles(loadControlPlaneConfig(config)))).get(name);

describe('hr2ad secret', () => {
  it('set stores what standard input holds, without its trailing line break, and prints no value', async () => {
    const run = await hr2ad('s3cr3t-api-key\n', 'secret', 'set', 'bamboohr-api-key', '--config', config);
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('s3cr3t-api-key');
    expect(await stored('bamboohr-api-key')).toBe('s3cr3t-api-key');
  });

  it('list prints the names only; delete removes one', async () => {
    await hr2ad('value-one', 'secret', 'set', 'first', '--config', config);
    await hr2ad('value-two', 'secret', 'set', 'second', '--config', config);
    const list = await hr2ad('', 'secret', 'list', '--config', config);
    expect(list.stdout.split('\n')).toEqual(expect.arrayContaining(['first', 'second']));
    expect(list.stdout).not.toMatch(/value-/);
    expect((await hr2ad('', 'secret', 'delete', 'first', '--config', config)).code).toBe(0);
    expect(await stored('first')).toBeNull();
    expect(await stored('second')).toBe('value-two');
  });

  it('refuses a bad name (usage) and empty input (invalid input)', async () => {
    expect((await hr2ad('x', 'secret', 'set', 'not a name', '--config', config)).code).toBe(2);
    const empty = await hr2ad('', 'secret', 'set', 'empty', '--config', config);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('standard input is empty');
  });

  it('--help shows an example and the exit codes', async () => {
    const help = await hr2ad('', 'secret', 'set', '--help');
    expect(help.stdout + help.stderr).toContain("printf '%s'");
  });
});
