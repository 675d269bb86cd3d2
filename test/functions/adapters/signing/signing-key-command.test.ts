/**
 * `hr2ad signing-key show|rotate` through runCli over a temp configuration: show without a key says to
 * rotate (exit 1); rotate prints the new pin, then the new and previous pins; show prints what rotate
 * left; a bad --algorithm is a usage error (2); --help lists the options and exit codes.
 */
import { runLocalCli, writeLocalConfig, type LocalConfig } from '../../cli/fixtures/local-config';

let local: LocalConfig;
let config: string;

const hr2ad = (...argv: string[]) => runLocalCli(argv, { now: new Date('2026-03-01T00:00:00Z') });

beforeEach(() => {
  local = writeLocalConfig('signing');
  config = local.config;
});
afterEach(() => local.remove());

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
