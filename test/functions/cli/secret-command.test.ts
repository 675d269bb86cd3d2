/**
 * `hr2ad secret set|list|delete` through runCli over a temp configuration: set reads the value from
 * standard input (a trailing line break dropped) and stores it in the encrypted secret store; list prints
 * names only; delete removes; a bad name is a usage error (2), empty input an invalid input (1); no value is
 * ever printed.
 */
import { loadControlPlaneConfig } from '../../../functions/config/load-config';
import { localDataFiles, openSecrets } from '../../../functions/local-host/local-control-plane';
import { runLocalCli, writeLocalConfig, type LocalConfig } from './fixtures/local-config';

let local: LocalConfig;
let config: string;

const hr2ad = (stdin: string, ...argv: string[]) => runLocalCli(argv, { stdin });

beforeEach(() => {
  local = writeLocalConfig('secret');
  config = local.config;
});
afterEach(() => local.remove());

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
