/**
 * hr2ad-agent init: the configuration is written sealed (nothing secret readable on disk, key 0600),
 * loads back as a valid configuration, a re-run changes only what it is given and keeps stored secrets
 * left blank, and the summary masks every secret.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgentConfig } from '../../../agent/config/load-agent-config';
import { DOMAIN, firstInitArgs, runAgent, temporaryDirectory } from './agent-cli';

const BIND_PASSWORD = 'Bind-Pa55word!x';
const CONNECTION_STRING =
  'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=agent;SharedAccessKey=c2VjcmV0S2V5VmFsdWU=';
const secrets = { bindPassword: BIND_PASSWORD, connectionString: CONNECTION_STRING };

async function initialised() {
  const dir = temporaryDirectory();
  const result = await runAgent(firstInitArgs(dir, secrets));
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return { dir, config: join(dir, 'agent.json'), keyFile: join(dir, 'agent.json.key'), result };
}

describe('hr2ad-agent init', () => {
  it('writes the configuration sealed: no secret, name or setting in plaintext on disk, key file 0600', async () => {
    const { config, keyFile } = await initialised();
    const onDisk = readFileSync(config, 'utf8');
    for (const needle of [BIND_PASSWORD, CONNECTION_STRING, 'SharedAccessKey', 'svc-hr2ad', 'bindPassword', DOMAIN])
      expect(onDisk.includes(needle)).toBe(false);
    expect(Object.keys(JSON.parse(onDisk) as object).sort()).toEqual(['data', 'iv', 'tag', 'version']);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(config).mode & 0o777).toBe(0o600);
  });

  it('loads back as the configuration given, secrets held inside the sealed file', async () => {
    const { config, dir } = await initialised();
    const loaded = await loadAgentConfig(config);
    expect(loaded.sealed).toBe(true);
    expect(loaded.config.directory).toMatchObject({
      url: 'ldaps://dc1.corp.example.test',
      bindPassword: { value: BIND_PASSWORD },
    });
    expect(loaded.config.policy.allowedOus).toEqual([`OU=Users,${DOMAIN}`, `OU=Disabled Users,${DOMAIN}`]);
    expect(loaded.config.relay).toMatchObject({
      serviceBus: { connection: { connectionString: { value: CONNECTION_STRING } }, transport: 'amqp' },
      journal: { path: join(dir, 'journal.sqlite') },
      signing: { publicKeys: [{ keyId: 'hr2ad-2025', algorithm: 'Ed25519' }] },
    });
  });

  it('prints a summary with every secret masked', async () => {
    const { result } = await initialised();
    expect(result.stdout).toContain('sealed with AES-256-GCM');
    expect(result.stdout).toContain('"value": "********"');
    expect(result.stdout).not.toContain(BIND_PASSWORD);
    expect(result.stdout).not.toContain('SharedAccessKey');
  });

  it('on a re-run changes only what is given and keeps the stored secrets left blank', async () => {
    const { config } = await initialised();
    const rerun = await runAgent(['init', '--config', config, '--transport', 'websockets', '--receivers', '8']);
    expect(rerun).toMatchObject({ code: 0, stderr: '' });
    const loaded = await loadAgentConfig(config);
    expect(loaded.config.directory?.bindPassword).toEqual({ value: BIND_PASSWORD });
    expect(loaded.config.relay?.serviceBus.connection).toEqual({ connectionString: { value: CONNECTION_STRING } });
    expect(loaded.config.relay?.serviceBus.transport).toBe('websockets');
    expect(loaded.config.relay?.receivers).toBe(8);
    expect(loaded.config.directory?.url).toBe('ldaps://dc1.corp.example.test');
  });

  it('replaces a secret given on a re-run, read from standard input with -', async () => {
    const { config } = await initialised();
    const rerun = await runAgent(['init', '--config', config, '--bind-password-file', '-'], { stdin: 'N3w-secret\n' });
    expect(rerun.code).toBe(0);
    expect((await loadAgentConfig(config)).config.directory?.bindPassword).toEqual({ value: 'N3w-secret' });
  });

  it('asks at a terminal for a secret the configuration lacks', async () => {
    const dir = temporaryDirectory();
    const args = firstInitArgs(dir, secrets);
    const withoutPassword = args.filter(
      (a, i) => a !== '--bind-password-file' && args[i - 1] !== '--bind-password-file',
    );
    const asked: string[] = [];
    const promptSecret = async (question: string) => {
      asked.push(question);
      return 'Typed-secret';
    };
    expect((await runAgent(withoutPassword, { io: { promptSecret } })).code).toBe(0);
    expect(asked).toEqual(['Directory bind password: ']);
    expect((await loadAgentConfig(join(dir, 'agent.json'))).config.directory?.bindPassword).toEqual({
      value: 'Typed-secret',
    });
  });

  it('refuses, writing nothing, when a setting the agent needs is missing (exit 1, naming it)', async () => {
    const dir = temporaryDirectory();
    const config = join(dir, 'agent.json');
    const result = await runAgent(['init', '--config', config, '--domain', DOMAIN]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('directory');
    expect(() => statSync(config)).toThrow();
  });

  it('refuses a wrong key on a re-run, naming the file (exit 1)', async () => {
    const { config, keyFile } = await initialised();
    writeFileSync(keyFile, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    const result = await runAgent(['init', '--config', config, '--receivers', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${config}: cannot decrypt the sealed agent configuration`);
  });

  it('refuses a key file others may read (exit 1)', async () => {
    const { config, keyFile } = await initialised();
    chmodSync(keyFile, 0o644);
    const result = await runAgent(['status', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('permissions 0644 are too open');
  });
});
