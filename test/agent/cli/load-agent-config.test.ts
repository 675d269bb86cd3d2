/**
 * The agent configuration on disk: plain JSON or sealed, told apart by content; a secrets file sealed
 * for the control plane cannot be passed off as a configuration; errors name the file and never a value.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentConfigError } from '../../../agent/config/agent-config';
import { loadAgentConfig, writeSealedAgentConfig } from '../../../agent/config/load-agent-config';
import { loadKey, sealText, type SealedFormat } from '../../../agent/config/sealed-file';
import { temporaryDirectory } from './agent-cli';

const SECRET = 'S3cret-value-never-shown';
const document = {
  directory: { url: 'ldaps://dc1.example.test', bindDn: 'CN=svc', bindPassword: { value: SECRET } },
  policy: { domainDn: 'DC=example,DC=test', allowedOus: ['OU=Users,DC=example,DC=test'] },
};

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('loadAgentConfig', () => {
  it('loads a plain JSON configuration, defaults applied', async () => {
    const file = join(temporaryDirectory(), 'agent.json');
    writeFileSync(file, JSON.stringify(document));
    const loaded = await loadAgentConfig(file);
    expect(loaded.sealed).toBe(false);
    expect(loaded.config.directory?.tls.verifyCertificate).toBe(true);
  });

  it('loads a sealed configuration with its key file', async () => {
    const dir = temporaryDirectory();
    const file = join(dir, 'agent.json');
    await writeSealedAgentConfig(file, join(dir, 'k'), document, { alreadySealed: false });
    const loaded = await loadAgentConfig(file, join(dir, 'k'));
    expect(loaded.sealed).toBe(true);
    expect(loaded.config.directory?.bindPassword).toEqual({ value: SECRET });
  });

  it('refuses a control-plane secrets file sealed with the same key (another label)', async () => {
    const dir = temporaryDirectory();
    const file = join(dir, 'agent.json');
    const keyFile = join(dir, 'k');
    const secrets: SealedFormat = { label: 'hr2ad-secrets', fileKind: 'secrets file', contents: 'secrets' };
    const key = await loadKey({ keyFile, sealedFile: undefined, format: secrets, createKey: true });
    writeFileSync(file, sealText(key, JSON.stringify(document), secrets));
    const error = await failure(loadAgentConfig(file, keyFile));
    expect(error).toBeInstanceOf(AgentConfigError);
    expect(error.message).toBe(
      `${file}: cannot decrypt the sealed agent configuration: wrong key, or the file was altered`,
    );
  });

  it.each([
    ['not JSON', '{ "policy": ', 'the file is not JSON'],
    ['invalid', JSON.stringify({ ...document, policy: { domainDn: 'DC=x' } }), 'is invalid'],
  ])('names the file of a configuration that is %s, quoting no value', async (_case, text, message) => {
    const file = join(temporaryDirectory(), 'agent.json');
    writeFileSync(file, text.replace('}', `, "note": "${SECRET}" }`));
    const error = await failure(loadAgentConfig(file));
    expect(error.message).toContain(file);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses a sealed configuration whose key file is missing', async () => {
    const dir = temporaryDirectory();
    const file = join(dir, 'agent.json');
    await writeSealedAgentConfig(file, join(dir, 'k'), document, { alreadySealed: false });
    await expect(loadAgentConfig(file, join(dir, 'other-key'))).rejects.toThrow(
      `${join(dir, 'other-key')}: key file not found`,
    );
  });
});
