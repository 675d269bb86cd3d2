/**
 * `hr2ad signing-key show|rotate` through runCli over a temp configuration: show without a key says to
 * rotate (exit 1); rotate prints the new pin, then the new and previous pins; show prints what rotate
 * left; a bad --algorithm is a usage error (2); --help lists the options and exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../../functions/cli/cli-io';
import { runCli } from '../../../../functions/cli/program';

let dir: string;
let config: string;

async function hr2ad(...argv: string[]) {
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
    now: new Date('2026-03-01T00:00:00Z'),
  };
  const code = await runCli(argv, io, { version: '0.0.0-test' });
  return { code, stdout, stderr };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hr2ad-signing-'));
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

interface Pins {
  publicKeys: { keyId: string; algorithm: string; publicKey: string }[];
}

describe('hr2ad signing-key', () => {
  it('show without a key says how to create one', async () => {
    const run = await hr2ad('signing-key', 'show', '--config', config);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'hr2ad: secret command-signing-key is missing: create a key with "hr2ad signing-key rotate"\n',
    });
  });

  it('rotate prints pins ready for relay.signing; show prints the same; private keys never appear', async () => {
    const first = await hr2ad('signing-key', 'rotate', '--config', config);
    expect(first.code).toBe(0);
    const firstPins = JSON.parse(first.stdout) as Pins;
    expect(firstPins.publicKeys).toEqual([
      { keyId: expect.stringMatching(/^ed25519-/), algorithm: 'Ed25519', publicKey: expect.any(String) },
    ]);

    const second = await hr2ad('signing-key', 'rotate', '--algorithm', 'es256', '--config', config);
    const secondPins = JSON.parse(second.stdout) as Pins;
    expect(secondPins.publicKeys).toHaveLength(2);
    expect(secondPins.publicKeys[0]).toMatchObject({ algorithm: 'ES256', keyId: expect.stringMatching(/^es256-/) });
    expect(secondPins.publicKeys[1]).toEqual(firstPins.publicKeys[0]);

    const shown = await hr2ad('signing-key', 'show', '--config', config);
    expect(shown).toEqual({ code: 0, stdout: second.stdout, stderr: '' });
    expect(first.stdout + second.stdout).not.toContain('PRIVATE KEY');
  });

  it('refuses an unknown algorithm as a usage error', async () => {
    const run = await hr2ad('signing-key', 'rotate', '--algorithm', 'RSA', '--config', config);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected one of Ed25519, ES256');
  });

  it.each(['show', 'rotate'])('%s --help lists its options and the exit codes', async (verb) => {
    const run = await hr2ad('signing-key', verb, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--config <file>');
    expect(run.stdout).toContain('Exit codes:');
    if (verb === 'rotate') expect(run.stdout).toContain('--algorithm <name>');
  });
});
